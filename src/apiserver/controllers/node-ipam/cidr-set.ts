// The pod ranges of a cluster CIDR cut into equal subnets (--cluster-cidr cut at
// --node-cidr-mask-size, as kube-controller-manager's range allocator does): which are taken and
// the lowest free one. Pure, so the controller's choices are tested without a cluster.
import { ipv4ToNumber, numberToIPv4 } from '../../../api/allocators/ip-range-allocator.js';
import { isIPv4 } from 'node:net';

export interface SubnetRange {
  /** The cluster CIDR's network address, as a number. */
  base: number;
  clusterBits: number;
  maskBits: number;
}

export function parseSubnetRange(clusterCidr: string, maskBits: number): SubnetRange {
  const [address, bitsText] = clusterCidr.split('/');
  const clusterBits = Number(bitsText);
  if (!isIPv4(address) || !/^\d+$/.test(bitsText ?? '') || clusterBits < 8 || clusterBits > 30) {
    throw new Error(`the cluster CIDR must be an IPv4 CIDR between /8 and /30, got "${clusterCidr}"`);
  }
  if (!Number.isInteger(maskBits) || maskBits < clusterBits || maskBits > 30) {
    throw new Error(`the node CIDR mask size must be between the cluster CIDR's (/${clusterBits}) and /30, got ${maskBits}`);
  }
  const size = 2 ** (32 - clusterBits);
  return { base: Math.floor(ipv4ToNumber(address) / size) * size, clusterBits, maskBits };
}

export function subnetCount(r: SubnetRange): number {
  return 2 ** (r.maskBits - r.clusterBits);
}

export function subnetAt(r: SubnetRange, index: number): string {
  return `${numberToIPv4(r.base + index * 2 ** (32 - r.maskBits))}/${r.maskBits}`;
}

/** The index of a CIDR among the range's subnets; undefined when it is not exactly one of them. */
export function subnetIndex(r: SubnetRange, cidr: string): number | undefined {
  const [address, bits] = cidr.split('/');
  if (!isIPv4(address) || Number(bits) !== r.maskBits) return undefined;
  const offset = ipv4ToNumber(address) - r.base;
  const step = 2 ** (32 - r.maskBits);
  if (offset < 0 || offset % step !== 0 || offset / step >= subnetCount(r)) return undefined;
  return offset / step;
}

/** The lowest subnet none of `taken` holds; undefined when all are taken. */
export function lowestFree(r: SubnetRange, taken: Iterable<string>): string | undefined {
  const used = new Set<number>();
  for (const cidr of taken) {
    const i = subnetIndex(r, cidr);
    if (i !== undefined) used.add(i);
  }
  for (let i = 0; i < subnetCount(r); i++) if (!used.has(i)) return subnetAt(r, i);
  return undefined;
}

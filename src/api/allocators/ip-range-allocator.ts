// Addresses of an IPv4 CIDR handed out one by one: cluster IPs from the service range, load
// balancer addresses. The network and broadcast addresses are never used, as in Kubernetes.
import { isIPv4 } from 'node:net';
import { OffsetSet } from './offset-set.js';

/** Why an allocation failed, in Kubernetes' words (the allocators' error texts). */
export class AllocationError extends Error {
  constructor(
    message: string,
    /** The range has no free value left (not the caller's fault: Kubernetes answers 500). */
    readonly full = false,
  ) {
    super(message);
  }
}

export function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  /** The first address after the network address. */
  first: number;
  /** How many addresses between the network and broadcast addresses. */
  size: number;
}

export function parseCidr(cidr: string): Cidr {
  const [address, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!isIPv4(address) || !Number.isInteger(bits) || bits < 1 || bits > 30) throw new Error(`invalid IPv4 CIDR ${cidr}`);
  const hostBits = 32 - bits;
  const network = Math.floor(ipv4ToNumber(address) / 2 ** hostBits) * 2 ** hostBits;
  return { first: network + 1, size: 2 ** hostBits - 2 };
}

export interface IpRangeOptions {
  /** Dynamic picks: random in the upper part of the range (cluster IPs) or the lowest free (load balancers). */
  pick: 'random' | 'lowest';
  /** Offsets dynamic picks never hand out (the `kubernetes` Service's address). */
  reserved?: number[];
  random?: () => number;
}

export class IpRangeAllocator {
  private readonly range: Cidr;
  private readonly offsets: OffsetSet;
  private readonly reserved: ReadonlySet<number>;

  constructor(
    readonly cidr: string,
    private readonly opts: IpRangeOptions,
  ) {
    this.range = parseCidr(cidr);
    this.offsets = new OffsetSet(this.range.size, opts.pick === 'random' ? staticBand(this.range.size) : 0, opts.random);
    this.reserved = new Set(opts.reserved ?? []);
  }

  contains(ip: string): boolean {
    return this.offsetOf(ip) !== undefined;
  }

  has(ip: string): boolean {
    const offset = this.offsetOf(ip);
    return offset !== undefined && this.offsets.has(offset);
  }

  get allocatedCount(): number {
    return this.offsets.count;
  }

  allocate(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset === undefined) throw new AllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    if (!this.offsets.take(offset)) throw new AllocationError('provided IP is already allocated');
  }

  allocateNext(): string {
    const offset = this.opts.pick === 'random' ? this.offsets.takeAny(this.reserved) : this.offsets.takeLowest(this.reserved);
    if (offset === undefined) throw new AllocationError('range is full', true);
    return numberToIPv4(this.range.first + offset);
  }

  release(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset !== undefined) this.offsets.release(offset);
  }

  private offsetOf(ip: string): number | undefined {
    if (!isIPv4(ip)) return undefined;
    const offset = ipv4ToNumber(ip) - this.range.first;
    return offset >= 0 && offset < this.range.size ? offset : undefined;
  }
}

/** Kubernetes' service IP static band: min(max(16, size/16), 256) low addresses. */
function staticBand(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

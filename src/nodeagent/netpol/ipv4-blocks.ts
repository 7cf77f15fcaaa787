// Pure IPv4 block arithmetic for NetworkPolicy's ipBlock: a block minus its `except` blocks as the
// fewest CIDRs that cover exactly the rest, so each is one iptables match (no ipset needed).
import { isIPv4 } from 'node:net';

interface Block {
  base: number;
  bits: number;
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [Math.floor(n / 2 ** 24) % 256, Math.floor(n / 2 ** 16) % 256, Math.floor(n / 256) % 256, n % 256].join('.');
}

function size(b: Block): number {
  return 2 ** (32 - b.bits);
}

/** The block a CIDR names (its host bits cleared, as Kubernetes' net.ParseCIDR does); undefined when it is no IPv4 CIDR. */
function parse(cidr: string): Block | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(cidr);
  if (!m || !isIPv4(m[1]) || Number(m[2]) > 32) return undefined;
  const bits = Number(m[2]);
  const blockSize = 2 ** (32 - bits);
  return { base: Math.floor(toNumber(m[1]) / blockSize) * blockSize, bits };
}

function format(b: Block): string {
  return `${toIp(b.base)}/${b.bits}`;
}

function contains(outer: Block, inner: Block): boolean {
  return outer.bits <= inner.bits && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

function overlaps(a: Block, b: Block): boolean {
  return contains(a, b) || contains(b, a);
}

function minus(block: Block, hole: Block): Block[] {
  if (!overlaps(block, hole)) return [block];
  if (contains(hole, block)) return [];
  const half = { bits: block.bits + 1 };
  return [...minus({ base: block.base, ...half }, hole), ...minus({ base: block.base + size(block) / 2, ...half }, hole)];
}

/** `cidr` without the `except` blocks, as CIDRs; [] when nothing is left or `cidr` is no IPv4 CIDR (IPv6 blocks match no pod here). */
export function blockWithout(cidr: string, except: readonly string[] = []): string[] {
  const block = parse(cidr);
  if (!block) return [];
  let left = [block];
  for (const e of except) {
    const hole = parse(e);
    if (hole) left = left.flatMap((b) => minus(b, hole));
  }
  return left.map(format);
}

/** Whether the IPv4 address lies in any of the CIDRs. */
export function inBlocks(ip: string, cidrs: readonly string[]): boolean {
  if (!isIPv4(ip)) return false;
  const address = { base: toNumber(ip), bits: 32 };
  return cidrs.some((c) => {
    const b = parse(c);
    return b !== undefined && contains(b, address);
  });
}

// A node's capacity: what --cpu, --memory and --pods say, else this machine's share when several
// agents run on it (cluster up starts N agents with --share N), so their Nodes together offer the
// machine once. Written as the kubelet reports it: cpu in cores or millicores, memory and
// ephemeral-storage in Ki, pods as a count.
import { Quantity } from '../api/quantity.js';
import { FlagError } from './node-flags.js';

/** The kubelet's default --max-pods: what one machine runs at most. */
export const MACHINE_MAX_PODS = 110;

export interface MachineTotals {
  cpuCores: number;
  memoryBytes: number;
  /** Size of the filesystem that holds the agent's data directory. */
  ephemeralStorageBytes: number;
}

export interface CapacityFlags {
  cpu?: string;
  memory?: string;
  pods?: string;
}

export type ResourceList = Record<string, string>;

function positiveQuantity(flag: string, text: string): Quantity {
  const q = Quantity.parse(text);
  if (!q || q.cmp(Quantity.ZERO) <= 0) throw new FlagError(`--${flag} must be a positive quantity (e.g. 2, 500m, 4Gi), got "${text}"`);
  return q;
}

function formatCpu(millis: bigint): string {
  return millis % 1000n === 0n ? String(millis / 1000n) : `${millis}m`;
}

function kibibytes(bytes: bigint): string {
  return `${bytes / 1024n}Ki`;
}

export function nodeCapacity(totals: MachineTotals, share: number, flags: CapacityFlags = {}): ResourceList {
  if (!Number.isInteger(share) || share < 1) throw new FlagError(`--share must be a positive integer, got "${share}"`);
  const n = BigInt(share);
  const cpuMillis = flags.cpu !== undefined ? positiveQuantity('cpu', flags.cpu).milliValue() : BigInt(Math.floor(totals.cpuCores * 1000)) / n;
  const memoryBytes = flags.memory !== undefined ? positiveQuantity('memory', flags.memory).value() : BigInt(Math.floor(totals.memoryBytes)) / n;
  let pods: number;
  if (flags.pods !== undefined) {
    pods = Number(flags.pods);
    if (!/^\d+$/.test(flags.pods) || pods < 1) throw new FlagError(`--pods must be a positive integer, got "${flags.pods}"`);
  } else {
    pods = Math.floor(MACHINE_MAX_PODS / share);
  }
  return {
    cpu: formatCpu(cpuMillis > 0n ? cpuMillis : 1n),
    'ephemeral-storage': kibibytes(BigInt(Math.floor(totals.ephemeralStorageBytes)) / n),
    memory: kibibytes(memoryBytes),
    pods: String(Math.max(pods, 1)),
  };
}

// NodeResourcesFit: the pod's requests must fit in what the node has left (allocatable minus the
// pods bound to it), every resource that does not named (as kube-scheduler's fitsRequest); scored
// LeastAllocated, so pods spread onto the emptiest nodes.
import type { Resources } from '../resources.js';
import { podRequests, podScoringRequests } from '../resources.js';
import { MAX_NODE_SCORE, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

const CHECKS: Array<{ key: keyof Resources; reason: string }> = [
  { key: 'pods', reason: 'Too many pods' },
  { key: 'milliCPU', reason: 'Insufficient cpu' },
  { key: 'memory', reason: 'Insufficient memory' },
  { key: 'ephemeralStorage', reason: 'Insufficient ephemeral-storage' },
];

/** Whether the pod's request for one resource fits; a resource it does not ask for never keeps it out (pods: every pod asks for one slot). */
function fits(want: number, requested: number, allocatable: number): boolean {
  return want <= 0 || requested + want <= allocatable;
}

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(pod, node) {
    const want = podRequests(pod);
    const used = node.requested;
    const has = node.allocatable;
    // Run for hundreds of nodes per pod: the common case (it fits) allocates nothing.
    if (fits(want.pods, used.pods, has.pods) && fits(want.milliCPU, used.milliCPU, has.milliCPU) && fits(want.memory, used.memory, has.memory) && fits(want.ephemeralStorage, used.ephemeralStorage, has.ephemeralStorage)) return undefined;
    const reasons = CHECKS.filter(({ key }) => !fits(want[key], used[key], has[key])).map((c) => c.reason);
    const [reason, ...otherReasons] = reasons;
    return otherReasons.length > 0 ? { reason, otherReasons } : { reason };
  },
  score(pod, node) {
    return leastAllocatedScore(node, podScoringRequests(pod));
  },
};

function leastAllocated(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return ((capacity - requested) * MAX_NODE_SCORE) / capacity;
}

/** The mean share left free of CPU and memory after placing the pod, 0–100. */
export function leastAllocatedScore(node: NodeInfo, want: Resources): number {
  const cpu = leastAllocated(node.nonZeroRequested.milliCPU + want.milliCPU, node.allocatable.milliCPU);
  const memory = leastAllocated(node.nonZeroRequested.memory + want.memory, node.allocatable.memory);
  return Math.floor((cpu + memory) / 2);
}

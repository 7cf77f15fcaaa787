// NodeResourcesBalancedAllocation: prefers nodes where CPU and memory would be used in equal
// shares, so neither runs out while the other sits idle.
import { podScoringRequests } from '../resources.js';
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod, node) {
    const want = podScoringRequests(pod);
    const cpu = Math.min(1, (node.nonZeroRequested.milliCPU + want.milliCPU) / (node.allocatable.milliCPU || 1));
    const memory = Math.min(1, (node.nonZeroRequested.memory + want.memory) / (node.allocatable.memory || 1));
    // The standard deviation of the two fractions is half their difference.
    const std = Math.abs(cpu - memory) / 2;
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  },
};

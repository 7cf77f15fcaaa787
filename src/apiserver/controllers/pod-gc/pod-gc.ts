// Pure: which pods Kubernetes' pod garbage collector force-deletes, since no node agent will ever
// confirm they stopped: pods bound to a node that no longer exists (once its absence is confirmed),
// and terminating pods on a node that is not Ready and tainted out-of-service by its operator.
import type { NodeCondition, Taint } from 'kubernetes-types/core/v1.js';

export const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface PodFacts {
  nodeName?: string;
  terminating: boolean;
}

export interface NodeFacts {
  taints?: Taint[];
  conditions?: NodeCondition[];
}

export type GcVerdict =
  | { action: 'keep' }
  /** The node is missing from the cache: confirm with the API after the quarantine. */
  | { action: 'confirm-node-gone' }
  | { action: 'delete'; reason: 'orphaned' | 'out-of-service' };

/** `node` is the pod's node as cached, undefined when absent; `nodeGone` says the API confirmed it is. */
export function podGcVerdict(pod: PodFacts, node: NodeFacts | undefined, nodeGone = false): GcVerdict {
  if (!pod.nodeName) return { action: 'keep' };
  if (!node) return nodeGone ? { action: 'delete', reason: 'orphaned' } : { action: 'confirm-node-gone' };
  if (!pod.terminating) return { action: 'keep' };
  const ready = node.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready && (node.taints ?? []).some((t) => t.key === OUT_OF_SERVICE)) return { action: 'delete', reason: 'out-of-service' };
  return { action: 'keep' };
}

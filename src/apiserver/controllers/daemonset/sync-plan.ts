// Pure: what one DaemonSet sync creates and deletes (Kubernetes' manage + rollingUpdate): a pod on
// every node that should run one, failed pods and extra pods removed, pods gone from nodes that no
// longer take them or no longer exist; then, with RollingUpdate, old-template pods deleted while
// at most maxUnavailable nodes lack an available pod (their replacements come from the next sync).
import { objectKey } from '../../../api/informer.js';
import type { KubeObject } from '../../../api/types.js';
import { scaledValue } from '../deployment/rollout-math.js';
import { isPodAvailable } from '../replicaset/active-pods.js';
import { REVISION_HASH_LABEL } from './daemon-pod.js';
import type { NodeMap } from './node-pods.js';

export interface SyncPlan {
  /** Names of the nodes to create a pod for. */
  createOn: string[];
  delete: KubeObject[];
}

const terminating = (pod: KubeObject) => !!pod.metadata.deletionTimestamp;
const failed = (pod: KubeObject) => pod.status?.phase === 'Failed';

export function isUpdated(pod: KubeObject, hash: string): boolean {
  return pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
}

/** maxUnavailable of the RollingUpdate strategy for `desired` nodes: a percentage rounds up, never below one. */
export function maxUnavailable(ds: KubeObject, desired: number): number {
  const value = ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  return Math.max(1, scaledValue(value, desired, true));
}

export function planSync(ds: KubeObject, map: NodeMap, hash: string, now: number): SyncPlan {
  const plan: SyncPlan = { createOn: [], delete: [...map.orphaned.filter((p) => !terminating(p))] };
  const deleting = new Set<string>();
  const remove = (pod: KubeObject) => {
    deleting.add(objectKey(pod));
    plan.delete.push(pod);
  };
  for (const n of map.nodes) {
    const live = n.pods.filter((p) => !terminating(p));
    if (!n.shouldContinueRunning) {
      live.forEach(remove);
      continue;
    }
    // A pod still terminating holds the node: its replacement waits for it to go.
    if (n.pods.length === 0) {
      if (n.shouldRun) plan.createOn.push(n.node.metadata.name!);
      continue;
    }
    // Failed pods are deleted; their replacement comes once the deletion is seen.
    live.filter(failed).forEach(remove);
    // More than one daemon pod on a node: the oldest stays.
    live.filter((p) => !failed(p)).slice(1).forEach(remove);
  }
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') rollingUpdate(ds, map, hash, now, remove, deleting);
  return plan;
}

function rollingUpdate(ds: KubeObject, map: NodeMap, hash: string, now: number, remove: (pod: KubeObject) => void, deleting: Set<string>): void {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const desired = map.nodes.filter((n) => n.shouldRun);
  const budget = maxUnavailable(ds, desired.length);
  let unavailable = 0;
  const candidates: KubeObject[] = [];
  for (const n of desired) {
    const pod = n.pods.find((p) => !terminating(p) && !failed(p) && !deleting.has(objectKey(p)));
    if (!pod) {
      unavailable++;
      continue;
    }
    const available = isPodAvailable(pod, minReadySeconds, now);
    if (isUpdated(pod, hash)) {
      if (!available) unavailable++;
    } else if (!available) {
      // An old pod that is not available costs nothing to replace.
      remove(pod);
      unavailable++;
    } else candidates.push(pod);
  }
  for (const pod of candidates) {
    if (unavailable >= budget) break;
    unavailable++;
    remove(pod);
  }
}

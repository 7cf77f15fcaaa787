// The Recreate strategy (Kubernetes' recreate.go): scale every old ReplicaSet to zero, wait until
// none of their pods runs any more, then create or scale up the new ReplicaSet.
import { controllerOf } from '../controller-ref.js';
import type { Deployment, DeploymentContext, ReplicaSet } from './context.js';
import type { KubeObject } from '../../../api/types.js';
import { deploymentComplete } from './deployment-status.js';
import { syncRolloutStatus } from './progress.js';
import { activeReplicaSets, actualReplicaCount, replicasOf } from './rollout-math.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';

export async function rolloutRecreate(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[], pods: readonly KubeObject[]): Promise<void> {
  // No new ReplicaSet yet: creating it now would scale up before the old pods are gone.
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(newRS, oldRSs, pods)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await scaleReplicaSetAndRecordEvent(ctx, newRS!, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

/**
 * Whether an old ReplicaSet still reports pods, or any pod of one (terminating ones included) has
 * not finished: `pods` are the pods the Deployment's selector matches.
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], pods: readonly KubeObject[]): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  const old = new Set(oldRSs.map((rs) => rs.metadata.uid));
  return pods.some((pod) => {
    const owner = controllerOf(pod)?.uid;
    if (!owner || owner === newRS?.metadata.uid || !old.has(owner)) return false;
    return pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded';
  });
}

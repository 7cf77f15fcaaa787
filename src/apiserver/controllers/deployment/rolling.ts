// The RollingUpdate strategy (Kubernetes' rolling.go): grow the new ReplicaSet up to
// replicas + maxSurge pods in all, shrink the old ones while at least replicas - maxUnavailable
// stay available, one step per sync; each step's ReplicaSet events bring the next sync.
import type { Deployment, DeploymentContext, ReplicaSet } from './context.js';
import { deploymentComplete } from './deployment-status.js';
import { syncRolloutStatus } from './progress.js';
import {
  activeReplicaSets,
  availableReplicaCount,
  maxUnavailable,
  newRSNewReplicas,
  replicasOf,
  specReplicaCount,
} from './rollout-math.js';
import { byCreation } from '../../../api/deployment-revisions.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';

export async function rolloutRolling(ctx: DeploymentContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(ctx, allRSs, newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ctx, allRSs, activeReplicaSets(oldRSs), newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(ctx: DeploymentContext, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  const target = replicasOf(newRS) > replicasOf(d) ? replicasOf(d) : newRSNewReplicas(d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, target, d)).scaled;
}

async function reconcileOldReplicaSets(ctx: DeploymentContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (specReplicaCount(oldRSs) === 0) return false;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  // Unavailable new pods count against the budget too: scaling old ones down on their account
  // would only add unavailability.
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicaCount(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let cleaned: { rss: ReplicaSet[]; count: number };
  let scaledDown: number;
  // Kubernetes reports these failures by doing nothing this time; the ReplicaSets' events retry.
  try {
    cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
    scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned.rss, newRS], cleaned.rss, d);
  } catch {
    return false;
  }
  return cleaned.count + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable pods first: removing those costs no availability. */
async function cleanupUnhealthyReplicas(ctx: DeploymentContext, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ rss: ReplicaSet[]; count: number }> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length && total < maxCleanup; i++) {
    const rs = rss[i];
    const available = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
    const count = Math.min(maxCleanup - total, replicasOf(rs) - available);
    const size = replicasOf(rs) - count;
    if (size > replicasOf(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicasOf(rs)} -> ${size}`);
    rss[i] = (await scaleReplicaSetAndRecordEvent(ctx, rs, size, d)).rs;
    total += count;
  }
  return { rss, count: total };
}

/** Scales old ReplicaSets down, oldest first, by what is available beyond replicas - maxUnavailable. */
async function scaleDownOldReplicaSetsForRollingUpdate(ctx: DeploymentContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), budget - total);
    await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - count, d);
    total += count;
  }
  return total;
}

// Progress reporting (Kubernetes' progress.go): the status with the Progressing condition, and,
// when nothing changed, a later look to catch the progress deadline passing.
import type { Deployment, DeploymentContext, ReplicaSet } from './context.js';
import { progressCheckDelay, rolloutStatus, sameStatus } from './deployment-status.js';
import { updateStatus } from './sync.js';

export async function syncRolloutStatus(ctx: DeploymentContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = ctx.now();
  const status = rolloutStatus(allRSs, newRS, d, now);
  if (!sameStatus(d.status, status)) return updateStatus(ctx, d, status);
  const delay = progressCheckDelay(d, status, now);
  if (delay !== undefined) ctx.requeueAfter(d, delay);
}

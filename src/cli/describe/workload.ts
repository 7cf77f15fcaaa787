// Pieces shared by the describers of pod controllers (Deployment, ReplicaSet, ReplicationController).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.js';
import { controlledObjects } from './owner.js';
import type { DescribeContext, RelatedRequest } from './types.js';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.js';

const PODS = 'pods';

/** The pods a controller's selector matches, for podsStatus. */
export function podsRequest(owner: KubeObject, labelSelector: string): RelatedRequest {
  return { name: PODS, resource: 'pods', namespace: owner.metadata.namespace, labelSelector };
}

/** `1 Running / 0 Waiting / 0 Succeeded / 0 Failed`, counting only the pods `owner` controls. */
export function podsStatus(ctx: DescribeContext, owner: KubeObject): string {
  const counts: Record<string, number> = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const pod of controlledObjects(ctx.related[PODS], owner) as unknown as Pod[]) {
    const phase = pod.status?.phase ?? '';
    if (phase in counts) counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

export function writeReplicaConditions(w: PrefixWriter, conditions: Array<{ type: string; status: string; reason?: string }> | undefined): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

// A StatefulSet's status from its pods (Kubernetes' updateStatefulSetStatus and
// completeRollingUpdate): counts of pods, ready, available, at the current and at the update
// revision; once every pod is updated and ready under RollingUpdate, the update revision becomes
// the current one.
import type { KubeObject } from '../../../api/types.js';
import { isPodAvailable } from '../replicaset/active-pods.js';
import { revisionOf } from './identity.js';
import { isHealthy } from './plan.js';

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount?: number;
}

export function calculateStatus(set: KubeObject, pods: readonly KubeObject[], currentRevision: string, updateRevision: string, collisionCount: number, now: number): StatefulSetStatus {
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const status: StatefulSetStatus = {
    ...(set.metadata.generation ? { observedGeneration: set.metadata.generation } : {}),
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision,
    updateRevision,
    ...(collisionCount ? { collisionCount } : {}),
  };
  for (const pod of pods) {
    status.replicas++;
    if (isHealthy(pod)) {
      status.readyReplicas++;
      if (isPodAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
    }
    if (pod.metadata.deletionTimestamp) continue;
    if (revisionOf(pod) === currentRevision) status.currentReplicas++;
    if (revisionOf(pod) === updateRevision) status.updatedReplicas++;
  }
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentRevision = updateRevision;
    status.currentReplicas = status.updatedReplicas;
  }
  return status;
}

/** Whether the stored status differs from the computed one. */
export function statusChanged(set: KubeObject, status: StatefulSetStatus): boolean {
  const stored = set.status ?? {};
  return (Object.keys(status) as Array<keyof StatefulSetStatus>).some((k) => (stored[k] ?? 0) !== status[k]) || (!!stored.collisionCount && !status.collisionCount);
}

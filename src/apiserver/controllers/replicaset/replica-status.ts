// A ReplicaSet's (or ReplicationController's) status from the pods it controls, as Kubernetes'
// calculateStatus computes it, with the ReplicaFailure condition for failed creates or deletes.
import { labelSelectorFromSet } from '../../../api/label-selector.js';
import { rfc3339 } from '../../../api/timestamps.js';
import type { KubeObject } from '../../../api/types.js';
import { availableAt, isPodAvailable, isPodReady } from './active-pods.js';

export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

const REPLICA_FAILURE = 'ReplicaFailure';

/** Go's omitempty: zero counts are left out, as Kubernetes serializes them. */
function omitZero(status: ReplicaStatus): ReplicaStatus {
  const out: ReplicaStatus = { replicas: status.replicas };
  if (status.fullyLabeledReplicas) out.fullyLabeledReplicas = status.fullyLabeledReplicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.availableReplicas) out.availableReplicas = status.availableReplicas;
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  if (status.conditions?.length) out.conditions = status.conditions;
  return out;
}

/**
 * The status for `pods` (the active pods the controller owns). `manageError` is why creating or
 * deleting pods failed in this sync: it raises ReplicaFailure (FailedCreate or FailedDelete),
 * a sync without error clears it.
 */
export function calculateStatus(owner: KubeObject, pods: readonly KubeObject[], manageError: Error | undefined, now: number): ReplicaStatus {
  const templateLabels = labelSelectorFromSet(owner.spec?.template?.metadata?.labels);
  const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions: ReplicaCondition[] = [...(owner.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(new Date(now)), reason, message: manageError.message });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  return omitZero({
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: owner.metadata.generation,
    conditions,
  });
}

/** Whether the stored status differs from the computed one. */
export function statusChanged(owner: KubeObject, status: ReplicaStatus): boolean {
  const stored = owner.status ?? {};
  return JSON.stringify(omitZero({ ...stored, replicas: stored.replicas ?? 0 })) !== JSON.stringify(status);
}

/** How long until the next ready pod becomes available (minReadySeconds), to look again then. */
export function nextAvailableInMs(owner: KubeObject, pods: readonly KubeObject[], now: number): number | undefined {
  const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
  let next: number | undefined;
  for (const pod of pods) {
    if (isPodAvailable(pod, minReadySeconds, now)) continue;
    const at = availableAt(pod, minReadySeconds);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next === undefined ? undefined : Math.max(0, next - now);
}

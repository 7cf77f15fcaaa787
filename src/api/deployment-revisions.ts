// What the deployment controller and kubectl's rollout commands agree on: the annotations that
// number a Deployment's revisions on its ReplicaSets, the pod-template-hash label, and how a
// ReplicaSet's template is matched against the Deployment's (Kubernetes' deploymentutil).
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { semanticallyEqual } from './semantic-equality.js';
import type { KubeObject } from './types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
/** extensions/v1beta1's rollback request; never copied, as Kubernetes never copies it. */
const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * Deployment annotations that belong to the deployment itself: the controller does not copy them
 * onto its ReplicaSets, and `rollout undo` keeps the Deployment's own values of them.
 */
export const ANNOTATIONS_NOT_COPIED: ReadonlySet<string> = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO,
]);

/** The revision number an object carries, or undefined when it has none or an unreadable one. */
export function revisionOf(obj: KubeObject | ReplicaSet | undefined): number | undefined {
  const value = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The template without its pod-template-hash label, as it was in the Deployment. */
export function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return t;
}

/** Kubernetes' EqualIgnoreHash: the templates are semantically equal once the hash label is ignored. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticallyEqual(withoutHashLabel(a), withoutHashLabel(b));
}

/** Oldest first; names break ties (Kubernetes' ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject | ReplicaSet, b: KubeObject | ReplicaSet): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** The ReplicaSet running the Deployment's current template: the oldest whose template matches (FindNewReplicaSet). */
export function findNewReplicaSet<T extends KubeObject | ReplicaSet>(template: PodTemplateSpec | undefined, replicaSets: readonly T[]): T | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, template));
}

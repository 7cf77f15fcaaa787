// A StatefulSet's history as ControllerRevisions (Kubernetes' history package): each revision holds
// the pod template as a replacing patch, is named `<set>-<hash>` and numbered; going back to an
// older template reuses its revision under the next number (so `rollout undo` shows up in history).
import type { KubeObject } from '../../../api/types.js';
import { canonicalJson, computeHash } from '../deployment/pod-template-hash.js';
import { controllerReference } from '../controller-ref.js';

export const HASH_LABEL = 'controller.kubernetes.io/hash';

/** The patch a revision stores: the template, replacing the set's one when applied. */
export function revisionData(set: KubeObject): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } };
}


export function newRevision(set: KubeObject, number: number, collisionCount: number): KubeObject {
  const hash = computeHash(set.spec?.template, collisionCount || undefined);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${set.metadata.name}-${hash}`,
      namespace: set.metadata.namespace,
      labels: { ...set.spec?.template?.metadata?.labels, [HASH_LABEL]: hash },
      // As Kubernetes: the set's annotations (its change-cause among them) go with the revision.
      ...(set.metadata.annotations ? { annotations: { ...set.metadata.annotations } } : {}),
      ownerReferences: [controllerReference(set)],
    },
    data: revisionData(set),
    revision: number,
  };
}

export function sameData(a: KubeObject, b: KubeObject): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** Oldest first. */
export function sortRevisions(revisions: readonly KubeObject[]): KubeObject[] {
  return [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

export function nextRevisionNumber(revisions: readonly KubeObject[]): number {
  return Math.max(0, ...revisions.map((r) => r.revision ?? 0)) + 1;
}

/**
 * The revisions to delete beyond revisionHistoryLimit: the oldest, never the current or update
 * revision nor one a live pod is still at.
 */
export function revisionsToTrim(set: KubeObject, revisions: readonly KubeObject[], live: ReadonlySet<string>): KubeObject[] {
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  const removable = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name!));
  return removable.slice(0, Math.max(0, removable.length - limit));
}

// Pure: a DaemonSet's ControllerRevisions (its template history, which `kubectl rollout history`
// reads and `rollout undo` restores): the revision for the current template and the old ones past
// revisionHistoryLimit that no pod still runs.
import type { KubeObject } from '../../../api/types.js';
import { controllerReference } from '../controller-ref.js';
import { REVISION_HASH_LABEL } from './daemon-pod.js';

export function revisionName(ds: KubeObject, hash: string): string {
  return `${ds.metadata.name}-${hash}`;
}

export function maxRevision(revisions: readonly KubeObject[]): number {
  return Math.max(0, ...revisions.map((r) => Number(r.revision) || 0));
}

/** The ControllerRevision holding the DaemonSet's template (as a patch that replaces it, as Kubernetes stores it). */
export function newRevision(ds: KubeObject, hash: string, revision: number): KubeObject {
  const template = structuredClone(ds.spec?.template ?? {});
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(ds, hash),
      namespace: ds.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      // The DaemonSet's annotations (its kubernetes.io/change-cause for rollout history), as Kubernetes copies them.
      ...(ds.metadata.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
      ownerReferences: [controllerReference(ds)],
    },
    data: { spec: { template: { ...template, $patch: 'replace' } } },
    revision,
  };
}

/** Old revisions to delete: beyond the limit, oldest first, never the current one or one a live pod runs. */
export function revisionsToPrune(ds: KubeObject, revisions: readonly KubeObject[], currentName: string, pods: readonly KubeObject[]): KubeObject[] {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  const inUse = new Set(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]));
  const old = revisions
    .filter((r) => r.metadata.name !== currentName && !inUse.has(r.metadata.labels?.[REVISION_HASH_LABEL]))
    .sort((a, b) => (Number(a.revision) || 0) - (Number(b.revision) || 0));
  return old.slice(0, Math.max(0, old.length - limit));
}

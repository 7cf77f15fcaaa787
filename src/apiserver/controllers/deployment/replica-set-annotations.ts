// The annotations the deployment controller keeps on its ReplicaSets (deploymentutil): the
// Deployment's own annotations copied (change-cause among them), the revision and, when an old
// revision comes back by a rollback, the revisions it had before; the Deployment's desired and
// maximum size at the last scaling, which proportional scaling reads.
import {
  ANNOTATIONS_NOT_COPIED,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  revisionOf,
} from '../../../api/deployment-revisions.js';
import type { KubeObject } from '../../../api/types.js';
import { maxSurge, replicasOf } from './rollout-math.js';

/** The revision-history annotation's limit, in characters (Kubernetes' default). */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** The highest revision among the ReplicaSets (MaxRevision), 0 without any. */
export function maxRevision(rss: readonly KubeObject[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0);
}

function copyDeploymentAnnotations(d: KubeObject, rs: KubeObject): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_NOT_COPIED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: true when either annotation changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of [[DESIRED_REPLICAS_ANNOTATION, String(desired)], [MAX_REPLICAS_ANNOTATION, String(max)]]) {
    if (annotations[key] !== value) {
      annotations[key] = value;
      changed = true;
    }
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** The desired and maximum size to record for `d`. */
export function deploymentSizes(d: KubeObject): [number, number] {
  return [replicasOf(d), replicasOf(d) + maxSurge(d)];
}

/**
 * SetNewReplicaSetAnnotations, on `rs` in place: true when something changed. `exists` is false
 * for a ReplicaSet about to be created, which also gets the size annotations.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = rs.metadata.annotations!;
  const oldText = annotations[REVISION_ANNOTATION];
  if (oldText !== undefined && oldText !== '' && !/^-?\d+$/.test(oldText)) return false;
  const old = oldText ? Number(oldText) : 0;
  if (old < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    // A revision coming back (a rollback): remember the numbers it had.
    if (oldText !== undefined) annotations[REVISION_HISTORY_ANNOTATION] = appendHistory(annotations[REVISION_HISTORY_ANNOTATION] ?? '', oldText);
  }
  if (!exists && setReplicasAnnotations(rs, ...deploymentSizes(d))) changed = true;
  return changed;
}

/** Appends a revision, dropping the oldest so the list stays within its character limit. */
function appendHistory(history: string, revision: string): string {
  if (!history) return revision;
  const revisions = history.split(',');
  let total = history.length + revision.length + 1;
  let start = 0;
  while (total > MAX_REVISION_HISTORY_CHARS && start < revisions.length) total -= revisions[start++].length + 1;
  return total <= MAX_REVISION_HISTORY_CHARS ? [...revisions.slice(start), revision].join(',') : history;
}

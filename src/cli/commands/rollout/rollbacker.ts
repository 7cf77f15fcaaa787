// What `rollout undo` does, as kubectl's DeploymentRollbacker (client side): find the ReplicaSet
// of the revision asked for (the previous one by default) and patch its template, without the
// pod-template-hash label, back into the Deployment together with its annotations (the
// Deployment keeping its own revision, apply and size annotations).
import { isDeepStrictEqual } from 'node:util';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { revisionTemplate } from '../../../api/controller-revisions.js';
import { ANNOTATIONS_NOT_COPIED, equalIgnoreHash, revisionOf, withoutHashLabel } from '../../../api/deployment-revisions.js';
import type { KubeObject } from '../../../api/types.js';
import { CliError } from '../../errors.js';

export type RollbackPlan =
  | { kind: 'skip'; revision: number }
  | { kind: 'patch'; template: PodTemplateSpec; patch: unknown; patchType: 'json' | 'strategic' };

/** The ReplicaSet of `toRevision`, or with 0 the one with the second highest revision. */
export function revisionReplicaSet(d: KubeObject, replicaSets: readonly KubeObject[], toRevision: number): KubeObject {
  if (toRevision < 0) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  let latest: { rs: KubeObject; rev: number } | undefined;
  let previous: { rs: KubeObject; rev: number } | undefined;
  for (const rs of replicaSets) {
    const rev = revisionOf(rs);
    if (rev === undefined) continue;
    if (toRevision > 0) {
      if (rev === toRevision) return rs;
      continue;
    }
    if (!latest || latest.rev < rev) {
      previous = latest;
      latest = { rs, rev };
    } else if (!previous || previous.rev < rev) {
      previous = { rs, rev };
    }
  }
  if (toRevision > 0) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  if (!previous) throw new CliError(`no rollout history found for deployment "${d.metadata.name}"`);
  return previous.rs;
}

/** The JSON patch that restores `rs`'s template, or a skip when the Deployment already runs it. */
export function planRollback(d: KubeObject, rs: KubeObject, toRevision: number): RollbackPlan {
  if (d.spec?.paused) throw new CliError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  if (equalIgnoreHash(rs.spec?.template, d.spec?.template)) return { kind: 'skip', revision: toRevision };
  const template = withoutHashLabel(rs.spec?.template);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) if (ANNOTATIONS_NOT_COPIED.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries<string>(rs.metadata.annotations ?? {})) if (!ANNOTATIONS_NOT_COPIED.has(k)) annotations[k] = v;
  return {
    kind: 'patch',
    template,
    patchType: 'json',
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

/**
 * kubectl's StatefulSetRollbacker and DaemonSetRollbacker: the revision's data (its template as a
 * replacing patch) is patched into the set, which then rolls its pods to it, or a skip when the set
 * already has that template.
 */
export function planRevisionRollback(set: KubeObject, revision: KubeObject): RollbackPlan {
  const template = revisionTemplate(revision) as PodTemplateSpec;
  if (isDeepStrictEqual(template, set.spec?.template ?? {})) return { kind: 'skip', revision: revision.revision ?? 0 };
  return { kind: 'patch', template, patchType: 'strategic', patch: revision.data };
}

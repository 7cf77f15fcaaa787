// A StatefulSet's ControllerRevisions as kubectl finds them (controlledHistory): those its selector
// matches in its namespace that it controls; and the one `rollout undo` goes back to.
import type { HttpClient } from '../../../api/http-client.js';
import { formatLabelSelector } from '../../../api/label-selector.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { CliError } from '../../errors.js';

const CONTROLLER_REVISIONS = findByKind('ControllerRevision')!;

export async function controllerRevisionsOf(client: HttpClient, owner: KubeObject): Promise<KubeObject[]> {
  const list = await client.list(CONTROLLER_REVISIONS, owner.metadata.namespace, { labelSelector: formatLabelSelector(owner.spec?.selector) });
  return list.items.filter((r) => r.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === owner.metadata.uid));
}

/** The revision to roll back to: `toRevision`, or with 0 the one before the latest (kubectl's texts when there is none). */
export function rollbackRevision(revisions: readonly KubeObject[], toRevision: number): KubeObject {
  const sorted = [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  if (toRevision === 0) {
    if (sorted.length < 2) throw new CliError('no last revision to roll back to');
    return sorted[sorted.length - 2];
  }
  const found = sorted.find((r) => r.revision === toRevision);
  if (!found) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  return found;
}

// Kubernetes' CRD naming and establishing controllers in one: a definition's names are accepted
// when no other definition of its group already uses them (plural, singular, short names, kind,
// list kind), and an accepted definition is Established, which makes the server serve it.
// Level-triggered: any definition's change re-checks its whole group, since names freed by one
// may be what another waits for.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { crdCondition, type CrdCondition } from '../../../api/custom-resource-definitions.js';
import { statusChanged, withCondition } from './crd-conditions.js';

interface Names {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}

/** What another definition of the group holds: its accepted names and, while not yet accepted, what it asks for. */
function namesInUse(others: KubeObject[]): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const other of others) {
    for (const names of [other.status?.acceptedNames as Names | undefined]) {
      if (!names) continue;
      for (const n of [names.plural, names.singular, ...(names.shortNames ?? [])]) if (n) resources.add(n);
      for (const n of [names.kind, names.listKind]) if (n) kinds.add(n);
    }
  }
  return { resources, kinds };
}

/** The names a definition gets and its NamesAccepted condition, as Kubernetes' naming controller decides them. */
export function acceptNames(crd: KubeObject, others: KubeObject[]): { accepted: Names; condition: CrdCondition } {
  const requested: Names = crd.spec?.names ?? {};
  const { resources, kinds } = namesInUse(others);
  const conflict = (reason: string, name: string): { accepted: Names; condition: CrdCondition } => ({
    accepted: crd.status?.acceptedNames ?? { plural: '', kind: '' },
    condition: { type: 'NamesAccepted', status: 'False', reason, message: `${JSON.stringify(name)} is already in use` },
  });
  if (requested.plural && resources.has(requested.plural)) return conflict('PluralConflict', requested.plural);
  if (requested.singular && resources.has(requested.singular)) return conflict('SingularConflict', requested.singular);
  const shortName = (requested.shortNames ?? []).find((s) => resources.has(s));
  if (shortName) return conflict('ShortNamesConflict', shortName);
  if (requested.kind && kinds.has(requested.kind)) return conflict('KindConflict', requested.kind);
  if (requested.listKind && kinds.has(requested.listKind)) return conflict('ListKindConflict', requested.listKind);
  return { accepted: { ...requested }, condition: { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' } };
}

export class CrdNamingController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly crds: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), (name, err) => log(`crd-naming ${name}: ${(err as Error).message}`), { name: 'crd_naming_condition_controller' });
    const enqueueGroup = (crd: KubeObject) => {
      for (const other of crds.list()) if (other.spec?.group === crd.spec?.group) this.queue.add(other.metadata.name!);
    };
    crds.addHandlers({ add: enqueueGroup, update: (_old, crd) => enqueueGroup(crd), delete: enqueueGroup });
  }

  async sync(name: string): Promise<void> {
    const crd = this.crds.get(name);
    // A definition being deleted keeps the names it has until it is gone.
    if (!crd || crd.metadata.deletionTimestamp) return;
    const others = this.crds.list().filter((o) => o.metadata.name !== name && o.spec?.group === crd.spec?.group);
    const { accepted, condition } = acceptNames(crd, others);
    let status = withCondition({ ...crd.status, acceptedNames: accepted }, condition);
    if (condition.status === 'True') {
      status = withCondition(status, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
    } else if (crdCondition(crd, 'Established')?.status !== 'True') {
      status = withCondition(status, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' });
    }
    if (!statusChanged(status, crd.status)) return;
    try {
      await this.client.update(this.crds.resource, undefined, { ...crd, status }, { subresource: 'status' });
    } catch (err) {
      // A newer version's event brings the definition back to the queue.
      if (err instanceof ApiError && (err.reason === 'Conflict' || err.reason === 'NotFound')) return;
      throw err;
    }
  }
}

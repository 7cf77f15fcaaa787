// kubectl's move of an object from client-side to server-side apply (client-go's csaupgrade):
// the fields of the client-side apply managers (Update entries) go to the server-side apply
// manager's Apply entry, so that a later server-side apply may remove what the manifest drops.
import { FieldSet } from './field-set.js';
import type { ManagedFieldsEntry } from './managed-fields.js';

const LAST_APPLIED = FieldSet.of([{ field: 'metadata' }, { field: 'annotations' }, { field: 'kubectl.kubernetes.io/last-applied-configuration' }]);

const isApplier = (e: ManagedFieldsEntry, manager: string) => e.manager === manager && e.operation === 'Apply' && !e.subresource;
const isUpdater = (e: ManagedFieldsEntry, manager: string) => e.manager === manager && e.operation === 'Update' && !e.subresource;

/** The upgraded managedFields, or undefined when no client-side apply manager is left to move. */
export function upgradeManagedFields(entries: ManagedFieldsEntry[] | undefined, csaManagers: readonly string[], ssaManager: string): ManagedFieldsEntry[] | undefined {
  if (!entries) return undefined;
  let out = entries.map((e) => ({ ...e }));
  let changed = false;
  for (const csa of csaManagers) {
    if (!out.some((e) => isUpdater(e, csa))) continue;
    let target = out.findIndex((e) => isApplier(e, ssaManager));
    if (target < 0) {
      // No applier yet: the client-side manager becomes it.
      target = out.findIndex((e) => isUpdater(e, csa));
      out[target] = { ...out[target], manager: ssaManager, operation: 'Apply' };
    }
    const applier = out[target];
    const updater = out.find((e) => isUpdater(e, csa) && e.apiVersion === applier.apiVersion);
    let fields = FieldSet.fromFieldsV1(applier.fieldsV1 ?? {});
    if (updater) fields = fields.union(FieldSet.fromFieldsV1(updater.fieldsV1 ?? {}));
    // The annotation stays with whoever keeps it up to date.
    out[target] = { ...applier, fieldsV1: fields.difference(LAST_APPLIED).toFieldsV1() };
    out = out.filter((e) => !isUpdater(e, csa));
    changed = true;
  }
  return changed ? out : undefined;
}

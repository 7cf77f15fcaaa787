// metadata.managedFields: who set which field, decoded into field sets and encoded back as
// Kubernetes writes them (ManagedFieldsEntry with `fieldsType: FieldsV1`, sorted by operation,
// time, manager, apiVersion and subresource).
import { FieldSet } from './field-set.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
  /** The fieldsV1 the entry was decoded from, reused when encoding while `set` is unchanged. */
  fieldsV1?: unknown;
}

/** Managers by identity: name, operation and subresource, and for an updater its apiVersion. */
export type Managed = Map<string, ManagerEntry>;

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/**
 * As Kubernetes' BuildManagerIdentifier: time and fields never count, and an applier keeps one
 * identity across apiVersions so re-applying in another version finds its previous fields.
 */
export function managerId(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([e.manager, e.operation, e.operation === 'Apply' ? '' : e.apiVersion, e.subresource ?? '']);
}

/** The entries as field sets; throws on an entry Kubernetes could not decode either. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed: Managed = new Map();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  for (const raw of entries as ManagedFieldsEntry[]) {
    if (raw === null || typeof raw !== 'object') throw new Error('a managedFields entry must be an object');
    if (raw.operation !== 'Apply' && raw.operation !== 'Update') throw new Error(`unknown operation ${JSON.stringify(raw.operation)}`);
    if (raw.fieldsType !== 'FieldsV1') throw new Error(`unknown fieldsType ${JSON.stringify(raw.fieldsType)}`);
    const entry: ManagerEntry = {
      manager: String(raw.manager ?? ''),
      operation: raw.operation,
      apiVersion: String(raw.apiVersion ?? ''),
      set: FieldSet.fromFieldsV1(raw.fieldsV1 ?? {}),
      fieldsV1: raw.fieldsV1,
    };
    if (raw.subresource) entry.subresource = String(raw.subresource);
    if (raw.time) entry.time = String(raw.time);
    const id = managerId(entry);
    if (managed.has(id)) throw new Error(`duplicate entry for manager ${JSON.stringify(entry.manager)}`);
    managed.set(id, entry);
  }
  return managed;
}

function byKubernetesOrder(a: ManagerEntry, b: ManagerEntry): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  return (
    cmp(a.operation, b.operation) ||
    seconds(a.time) - seconds(b.time) ||
    cmp(a.manager, b.manager) ||
    cmp(a.apiVersion, b.apiVersion) ||
    cmp(a.subresource ?? '', b.subresource ?? '')
  );
}

/** The managedFields list (undefined when nobody manages anything). */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  const entries = [...managed.values()].filter((e) => !e.set.empty()).sort(byKubernetesOrder);
  if (!entries.length) return undefined;
  return entries.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.fieldsV1 ?? e.set.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/**
 * `[]` or `[{}]` sent by a client clears managedFields (Kubernetes' isResetManagedFields: a merge
 * patch cannot send an empty list through Go's omitempty, so a single empty entry also counts).
 */
export function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && entries[0] !== null && typeof entries[0] === 'object' && Object.keys(entries[0]).length === 0;
}

// Server-side apply and field ownership, as Kubernetes' FieldManager over structured-merge-diff:
// every write records who set what in metadata.managedFields (an Update entry per manager); an
// apply merges the manager's configuration into the live object, removes what that manager set
// before and no longer sets (unless someone else owns it), and refuses to change a field another
// manager owns unless forced.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { ApiError, errors } from '../../../api/errors.js';
import { FieldSet } from '../../../api/managed-fields/field-set.js';
import { pathToString, type Path } from '../../../api/managed-fields/path.js';
import { compare, copyJSON, merge, removeItems, toFieldSet, typeOfKind, FieldPathError, type Comparison, type TypeNode } from './typed.js';
import { decodeManagedFields, encodeManagedFields, isReset, managerId, type Managed, type ManagerEntry } from '../../../api/managed-fields/managed-fields.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Fields the server owns, never a manager (Kubernetes' stripMeta). */
const STRIPPED = FieldSet.of(
  [{ field: 'apiVersion' }],
  [{ field: 'kind' }],
  [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
    { field: 'metadata' },
    { field: f },
  ]),
);
const STATUS = FieldSet.of([{ field: 'status' }]);

/** Where a write happens: the kind, its API version, and the subresource written through. */
export interface WriteTarget {
  kind: string;
  apiVersion: string;
  /** `status`, `scale`…; undefined for the object itself. */
  subresource?: string;
  /** The object itself ignores status (the kind has a status subresource). */
  statusIsSubresource: boolean;
  /** RFC 3339 time recorded on the entries this write touches. */
  now: string;
  /** The kind's type when it has no schema of its own (a custom resource's, from its definition). */
  type?: TypeNode;
}

/**
 * What Go's zero value of a kind holds besides empty metadata, spec and status: structs that are
 * not pointers (empty) and lists and pointers without omitempty (null). A create is compared with
 * it, as Kubernetes compares a new object with `New()` of its kind, so what was already there in
 * the zero value is not marked as added itself (no "." in fieldsV1).
 */
const POD_TEMPLATE_ZERO: Record<string, unknown> = { 'template.metadata': {}, 'template.spec.containers': null };
const ZERO_FIELDS: Record<string, Record<string, unknown>> = {
  Pod: { 'spec.containers': null },
  Deployment: { 'spec.selector': null, 'spec.strategy': {}, ...prefixed('spec.', POD_TEMPLATE_ZERO) },
  ReplicaSet: { 'spec.selector': null, ...prefixed('spec.', POD_TEMPLATE_ZERO) },
  Job: prefixed('spec.', POD_TEMPLATE_ZERO),
  CronJob: { 'spec.jobTemplate.metadata': {}, ...prefixed('spec.jobTemplate.spec.', POD_TEMPLATE_ZERO) },
  Service: { 'status.loadBalancer': {} },
  Ingress: { 'status.loadBalancer': {} },
  Node: { 'status.daemonEndpoints.kubeletEndpoint': {}, 'status.nodeInfo': {} },
  HorizontalPodAutoscaler: { 'spec.scaleTargetRef': {} },
};

function prefixed(prefix: string, fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [prefix + k, v]));
}

function zeroObject(kind: string, type: TypeNode): Record<string, unknown> {
  const zero: Record<string, unknown> = { metadata: {} };
  if (type.t === 'struct') {
    for (const f of ['spec', 'status']) if (type.field(f).t === 'struct') zero[f] = {};
  }
  for (const [path, value] of Object.entries(ZERO_FIELDS[kind] ?? {})) {
    const parts = path.split('.');
    let node = zero;
    for (const f of parts.slice(0, -1)) node = (node[f] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
  }
  return zero;
}

function typeFor(target: WriteTarget): TypeNode {
  const t = target.type ?? typeOfKind(target.kind);
  if (!t) throw new Error(`no schema for ${target.kind}`);
  return t;
}

/** The fields a write through `target` may own: never server-owned metadata; status only through /status. */
function ownable(target: WriteTarget, set: FieldSet): FieldSet {
  const s = set.difference(STRIPPED);
  if (target.subresource === 'status') return s.onlyUnder(STATUS);
  return target.statusIsSubresource ? s.withoutPrefixes(STATUS) : s;
}

function filtered(target: WriteTarget, c: Comparison): Comparison {
  return { added: ownable(target, c.added), modified: ownable(target, c.modified), removed: ownable(target, c.removed) };
}

function decodeOrEmpty(entries: unknown): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

/**
 * The managers before this write: the ones the client sent, if it sent any that decode (so a
 * client may rewrite them, and `[]` clears them), else the stored ones (a client unaware of
 * managedFields does not wipe them). Subresources always keep the stored ones.
 */
function managersBefore(target: WriteTarget, live: KubeObject | undefined, sent: unknown): Managed {
  const stored = () => decodeOrEmpty(live?.metadata.managedFields);
  if (target.subresource) return stored();
  if (isReset(sent)) return new Map();
  try {
    const m = decodeManagedFields(sent);
    return m.size ? m : stored();
  } catch {
    return stored();
  }
}

/**
 * The managedFields after `obj` replaces `live` (undefined: a create), written by `manager` as an
 * Update: the manager gains what it added or changed, every manager loses what was changed or
 * removed under it.
 */
export function managedFieldsAfterUpdate(target: WriteTarget, live: KubeObject | undefined, obj: KubeObject, manager: string): KubeObject['metadata']['managedFields'] {
  const type = typeFor(target);
  const managed = managersBefore(target, live, obj.metadata.managedFields);
  let changes: Comparison;
  try {
    changes = filtered(target, compare(type, live ?? zeroObject(target.kind, type), obj));
  } catch (err) {
    // As Kubernetes' UpdateNoErrors: an object the merge rules cannot read gets no managedFields.
    if (err instanceof FieldPathError) return undefined;
    throw err;
  }
  const touched = changes.added.union(changes.modified);
  const gone = touched.union(changes.removed);
  for (const e of managed.values()) takeAway(e, gone);
  if (!touched.empty()) {
    const me: ManagerEntry = { manager, operation: 'Update', apiVersion: target.apiVersion, subresource: target.subresource, set: touched, time: target.now };
    const id = managerId(me);
    const before = managed.get(id);
    if (before) me.set = before.set.union(touched);
    managed.set(id, me);
  }
  capUpdateManagers(managed);
  return encodeManagedFields(managed);
}

/** Kubernetes keeps at most this many Update entries; older ones merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Kubernetes' capManagersManager: past MAX_UPDATE_MANAGERS Update entries, the oldest are merged,
 * per apiVersion, into one `ancient-changes` entry carrying the time of the newest it took in.
 */
function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.entries()].filter(([, e]) => e.operation === 'Update' && !e.set.empty());
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, e] of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break;
    const first = firstOfVersion.get(e.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(e.apiVersion, id);
      continue;
    }
    const bucketId = managerId({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: e.apiVersion });
    let bucket = managed.get(bucketId);
    if (!bucket) {
      bucket = { ...managed.get(first)!, manager: ANCIENT_CHANGES, subresource: undefined };
      delete bucket.fieldsV1;
      managed.delete(first);
      managed.set(bucketId, bucket);
    }
    bucket.set = bucket.set.union(e.set);
    bucket.time = e.time;
    delete bucket.fieldsV1;
    managed.delete(id);
    count--;
  }
}

/** The manager loses `paths` (changed or removed by someone else). */
function takeAway(e: ManagerEntry, paths: FieldSet): void {
  if (!e.set.overlaps(paths)) return;
  e.set = e.set.difference(paths);
  delete e.fieldsV1;
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
}

interface Conflict {
  entry: ManagerEntry;
  path: Path;
}

/**
 * `config` applied by `opts.manager` onto `live` (undefined: create on apply). Returns the merged
 * object (not yet defaulted) with its managedFields, or throws the 409 listing the conflicts.
 */
export function applyConfiguration(target: WriteTarget, live: KubeObject | undefined, config: KubeObject, opts: ApplyOptions): KubeObject {
  const type = typeFor(target);
  if (config.metadata?.managedFields !== undefined && config.metadata.managedFields !== null) throw errors.badRequest('metadata.managedFields must be nil');
  const base = (live ? copyJSON(live) : zeroObject(target.kind, type)) as KubeObject;
  const managed = decodeOrEmpty(live?.metadata.managedFields);
  let merged: KubeObject;
  let changes: Comparison;
  const me: ManagerEntry = { manager: opts.manager, operation: 'Apply', apiVersion: config.apiVersion ?? target.apiVersion, subresource: target.subresource, set: new FieldSet() };
  const id = managerId(me);
  try {
    me.set = ownable(target, toFieldSet(type, config));
    merged = merge(type, base, config) as KubeObject;
    const last = managed.get(id);
    me.time = last?.time;
    managed.set(id, me);
    if (last) merged = prune(type, merged, last.set, managed);
    changes = filtered(target, compare(type, base, merged));
  } catch (err) {
    if (err instanceof FieldPathError) throw errors.badRequest(`failed to create typed patch object (${target.apiVersion}, Kind=${target.kind}): ${err.message}`);
    throw err;
  }
  const touched = changes.added.union(changes.modified);
  let conflicts: Conflict[] = [];
  for (const [otherId, e] of managed) {
    if (otherId === id) continue;
    for (const path of e.set.intersection(touched).paths()) conflicts.push({ entry: e, path });
  }
  if (conflicts.length && !opts.force) {
    const allowed = allowedByLastApplied(type, live, opts.manager);
    conflicts = conflicts.filter((c) => !allowed.has(c.path));
    if (conflicts.length) throw conflictError(conflicts);
  }
  const gone = touched.union(changes.removed);
  for (const [otherId, e] of managed) if (otherId !== id) takeAway(e, gone);
  if (!live || !isDeepStrictEqual(base, merged) || !me.time) me.time = target.now;
  if (opts.manager === 'kubectl' && live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION]) syncLastApplied(merged, config);
  capUpdateManagers(managed);
  merged.metadata.managedFields = encodeManagedFields(managed);
  if (!merged.metadata.managedFields) delete merged.metadata.managedFields;
  return merged;
}

/**
 * Takes out what the applier set last time and no longer does, unless a manager (the applier
 * included) still owns it: structured-merge-diff's prune with its add-back of owned items.
 */
function prune(type: TypeNode, merged: KubeObject, last: FieldSet, managed: Managed): KubeObject {
  let owned = new FieldSet();
  for (const e of managed.values()) owned = owned.union(e.set);
  const drop = last.withNamedFieldsAsMembers().difference(owned.withNamedFieldsAsMembers());
  return removeItems(type, merged, drop) as KubeObject;
}

/**
 * For `kubectl apply --server-side` on an object applied client-side: fields whose live value is
 * still the one in the last-applied annotation may be taken over without --force-conflicts, as
 * Kubernetes' lastAppliedManager allows (only for the manager named `kubectl`).
 */
function allowedByLastApplied(type: TypeNode, live: KubeObject | undefined, manager: string): FieldSet {
  const annotation = live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (manager !== 'kubectl' || !annotation) return new FieldSet();
  try {
    const lastApplied = JSON.parse(annotation) as unknown;
    const c = compare(type, lastApplied, live);
    return toFieldSet(type, lastApplied).difference(c.added.union(c.modified).union(c.removed));
  } catch {
    return new FieldSet();
  }
}

/** JSON with keys sorted, as Go writes an unstructured object. */
function sortedJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJSON).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedJSON(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** kubectl's server-side apply keeps an existing last-applied annotation in step (Kubernetes' lastAppliedUpdater). */
function syncLastApplied(merged: KubeObject, config: KubeObject): void {
  const applied = copyJSON(config);
  if (applied.metadata?.annotations) {
    delete applied.metadata.annotations[LAST_APPLIED_ANNOTATION];
    if (!Object.keys(applied.metadata.annotations).length) delete applied.metadata.annotations;
  }
  merged.metadata.annotations = { ...(merged.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: `${sortedJSON(applied)}\n` };
}

/** `"kubectl" with subresource "scale" using apps/v1`, as Kubernetes names a manager in a conflict. */
function describeManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c.entry)}`, field: pathToString(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0].entry)}: ${pathToString(conflicts[0].path)}`;
  else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts) byManager.set(describeManager(c.entry), [...(byManager.get(describeManager(c.entry)) ?? []), c]);
    const lines: string[] = [];
    for (const who of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${who}:`);
      for (const c of byManager.get(who)!) lines.push(`- ${pathToString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError('Conflict', message, { causes });
}

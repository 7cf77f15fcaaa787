// The generic REST storage behind every resource: metadata rules, schema and semantic validation,
// defaults, optimistic concurrency, status split, graceful and finalizer-aware deletion, watch.
// Per-kind behaviour comes from the strategies; bytes on disk from the store.
import { sameJSON } from '../../api/same-json.js';
import type { KubeObject, StatusCause } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { apiVersionOf, findByKind, storageKey, storagePrefix, type ResourceType } from '../../api/resources.js';
import type { DeleteOptions, ListOptions, PatchType, WriteOptions } from '../../api/client.js';
import { SqliteStore, StoreError, type StoredRow } from '../storage/sqlite-store.js';
import type { StoreEvent, WatchSubscription } from '../storage/watch-broadcaster.js';
import { strategyFor } from './strategies/index.js';
import { storeFor, type StoreView } from './version-conversion.js';
import { customTypeFor, followDefinitions } from './customresources/served-versions.js';
import { validateSchema } from './schema-validator.js';
import { validateObjectMetaNames } from './names.js';
import { followSpecGeneration, prepareMetaForCreate, prepareMetaForUpdate } from './object-meta.js';
import { rfc3339 } from '../../api/timestamps.js';
import { cloneJSON } from '../../api/clone-json.js';
import { buildFilter, watchIndexFor, type ObjectFilter } from './filters.js';
import { applyPatchOrRefuse } from './patching.js';
import { checkBodyShape } from './decode-errors.js';
import { decodeLikeGo } from './go-decoding.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { admitCreate, validateCreate, validateUpdate, type AdmissionContext } from './admission.js';
import type { QuotaCharge } from './resource-quota-admission.js';
import { admitPriorityClass } from './priority-admission.js';
import { awaitDefaultServiceAccount, type ServiceAccountLookup } from './service-account-admission.js';
import { applyConfiguration, managedFieldsAfterUpdate, type WriteTarget } from './fieldmanager/field-manager.js';
import { requireApplyManager } from './write-options.js';
import { DEFAULT_SERVICE_RANGES, NO_ALLOCATION, ServiceAllocations, type AllocationTransaction, type ServiceRanges } from './service-allocations.js';

export interface ListResult {
  rev: number;
  /** Raw stored JSON, so an unfiltered list is served without parsing. */
  rows: StoredRow[];
  /** Parsed objects, when filtering needed them anyway. */
  objects?: KubeObject[];
  continueToken?: string;
  remaining?: number;
}

export interface WatchRequest extends ListOptions {
  /**
   * Whether to begin with an ADDED event for every object (watch-list). Unset, that follows the
   * resourceVersion: for unset or "0" it does, for a revision it does not.
   */
  sendInitialEvents?: boolean;
  onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', json: string, obj?: KubeObject) => void;
  /** After the initial events, with the revision they show (when sendInitialEvents was asked for). */
  onInitialEventsEnd?: (rev: number) => void;
  onClose: (reason: string) => void;
  /** A watcher outside the process: committed writes only (see SqliteStore.watch). */
  committedOnly?: boolean;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/**
 * A resourceVersion the store has not reached: Kubernetes' 504 with a cause clients recognise and
 * a hint to retry (its watch cache waits for the version a moment first; kctl's store is the
 * source of truth, so nothing would come).
 */
export function tooLargeResourceVersion(wanted: number, current: number): ApiError {
  return new ApiError('Timeout', `Too large resource version: ${wanted}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

const NAMESPACES = findByKind('Namespace')!;
const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;
const STORAGE_CLASSES = findByKind('StorageClass')!;
const PRIORITY_CLASSES = findByKind('PriorityClass')!;
const SERVICES = findByKind('Service')!;
const LIMIT_RANGES = findByKind('LimitRange')!;
const RESOURCE_QUOTAS = findByKind('ResourceQuota')!;

/**
 * A check of the caller's right to write this object as it will be stored (RBAC escalation
 * prevention, NodeRestriction): run after validation, before the write; throws to refuse.
 */
export type WriteAdmission = (obj: KubeObject, old?: KubeObject) => void;

/** A write as the registry takes it: the client's options, the subresource written through, the caller's admission check. */
export interface RegistryWriteOptions extends WriteOptions {
  subresource?: string;
  admit?: WriteAdmission;
}

/** The object's managedFields were already made by an apply; the write must not record an Update. */
interface InternalWriteOptions extends RegistryWriteOptions {
  applied?: boolean;
}

export interface RegistryOptions {
  /**
   * Run the ServiceAccount admission plugin on pod create (pods need their service account, and
   * get its token mounted), as kube-apiserver does by default. The daemon turns it on.
   */
  serviceAccountAdmission?: boolean;
  /** Where cluster IPs and node ports come from (default: 10.96.0.0/12 and 30000-32767). */
  serviceRanges?: ServiceRanges;
  /** Where problems that no request sees go (a custom resource definition that cannot be served). */
  log?: (msg: string) => void;
}

/** Whether r is the built-in kind (a custom resource may reuse a built-in kind's name in its own group). */
function isBuiltin(r: ResourceType, kind: string): boolean {
  return !r.custom && r.kind === kind;
}

function parseJSON(value: string): KubeObject {
  return JSON.parse(value) as KubeObject;
}

/**
 * Whether two objects would be stored alike, resourceVersion aside. Key order does not count: Go
 * serializes fields in one order, and carried-over fields land wherever the strategy set them.
 */
function sameStoredForm(a: KubeObject, b: KubeObject): boolean {
  const unversioned = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return sameJSON(unversioned(a), unversioned(b));
}

export class Registry {
  private readonly serviceAccounts: ServiceAccountLookup | undefined;
  readonly serviceAllocations: ServiceAllocations;
  /** namespaceTerminating()'s answers, by namespace, with the revision each was read at. */
  private readonly namespaceStates = new Map<string, { rev: number; terminating: boolean }>();

  constructor(
    readonly store: SqliteStore,
    opts: RegistryOptions = {},
  ) {
    if (opts.serviceAccountAdmission) this.serviceAccounts = (ns, name) => this.tryGet(SERVICE_ACCOUNTS, ns, name);
    const services = this.store.list(storagePrefix(SERVICES)).map((row) => parseJSON(row.value));
    this.serviceAllocations = new ServiceAllocations(opts.serviceRanges ?? DEFAULT_SERVICE_RANGES, services);
    followDefinitions(this.store, opts.log);
  }

  /** Takes what obj needs from the cluster's shared ranges (Services' cluster IPs and node ports). */
  private allocate(r: ResourceType, obj: KubeObject, old?: KubeObject): AllocationTransaction {
    return r === SERVICES ? this.serviceAllocations.allocate(obj, old) : NO_ALLOCATION;
  }

  /** Gives back what an object that is now gone from the store held. */
  private releaseAllocations(r: ResourceType, gone: KubeObject): void {
    if (r === SERVICES) this.serviceAllocations.release(gone);
  }

  /** The store as r's version sees it (custom resources served in a version other than their storage version). */
  private view(r: ResourceType): StoreView {
    return storeFor(this.store, r);
  }

  private key(r: ResourceType, ns: string | undefined, name: string): string {
    return storageKey(r, ns, name);
  }

  private mapStoreError(err: unknown, r: ResourceType, name: string): never {
    if (err instanceof StoreError) {
      if (err.code === 'NotFound') throw errors.notFound(r.plural, r.group, name);
      if (err.code === 'AlreadyExists') throw errors.alreadyExists(r.plural, r.group, name);
      if (err.code === 'Conflict') throw errors.conflict(r.plural, r.group, name, err.message);
      if (err.code === 'Compacted') throw errors.gone(err.message);
    }
    throw err;
  }

  get(r: ResourceType, ns: string | undefined, name: string): KubeObject {
    const row = this.view(r).get(this.key(r, ns, name));
    if (!row) throw errors.notFound(r.plural, r.group, name);
    return parseJSON(row.value);
  }

  tryGet(r: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const row = this.view(r).get(this.key(r, ns, name));
    return row && parseJSON(row.value);
  }

  list(r: ResourceType, ns: string | undefined, opts: ListOptions = {}): ListResult {
    const prefix = storagePrefix(r, ns);
    const filter = buildFilter(r, opts);
    const { rev, afterKey } = this.listStart(opts);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
    // The current state from the live index; an older one (Exact, or the later pages of a paged
    // list, which Kubernetes serves from the first page's snapshot) from the kept history, unless
    // nothing under the prefix changed since, when the two are the same.
    const current = rev === this.store.currentRevision || !this.view(r).changedSince(prefix, rev);
    const read = (after: string | undefined, n: number | undefined): StoredRow[] => {
      try {
        return current ? this.view(r).list(prefix, { afterKey: after, limit: n }) : this.view(r).listAt(prefix, rev, { afterKey: after, limit: n });
      } catch (err) {
        if (err instanceof StoreError && err.code === 'Compacted') {
          throw opts.continue ? errors.gone(CONTINUE_EXPIRED) : errors.gone('The resourceVersion for the provided list is too old.');
        }
        throw err;
      }
    };
    if (!filter) {
      const rows = read(afterKey, limit ? limit + 1 : undefined);
      const more = limit !== undefined && rows.length > limit;
      if (more) rows.length = limit!;
      const result: ListResult = { rev, rows };
      if (more) {
        result.continueToken = encodeContinue(rev, rows[rows.length - 1].key);
        if (current) result.remaining = this.view(r).count(prefix, rows[rows.length - 1].key);
      }
      return result;
    }
    // Filtered: walk the keys in batches until the page is full, as Kubernetes does with limit + selectors.
    const rows: StoredRow[] = [];
    const objects: KubeObject[] = [];
    let cursor = afterKey;
    let more = false;
    scan: for (;;) {
      const batch = read(cursor, 1000);
      for (const row of batch) {
        if (limit && objects.length >= limit) {
          more = true;
          break scan;
        }
        cursor = row.key;
        const obj = parseJSON(row.value);
        if (!filter(obj)) continue;
        rows.push(row);
        objects.push(obj);
      }
      if (batch.length < 1000) break;
    }
    const result: ListResult = { rev, rows, objects };
    if (more) result.continueToken = encodeContinue(rev, cursor!);
    return result;
  }

  /**
   * A whole unfiltered list of the current state, read lazily: which revision every object is at
   * is taken now (one consistent snapshot), the values a batch at a time as the caller asks, so a
   * list of any size is never held whole. A value compacted away meanwhile is 410 Gone.
   */
  snapshot(r: ResourceType, ns: string | undefined): { rev: number; size: number; read(from: number, n: number): string[] } {
    const rev = this.store.currentRevision;
    const rows = this.view(r).revisions(storagePrefix(r, ns));
    return {
      rev,
      size: rows.length,
      read: (from, n) =>
        rows.slice(from, from + n).map((row) => {
          const value = this.view(r).valueAt(row.key, row.rev);
          if (value === undefined) throw errors.gone('The resourceVersion for the provided list is too old.');
          return value;
        }),
    };
  }

  /**
   * Which revision a list reads, and after which key, by Kubernetes' rules: a continue token
   * carries both; resourceVersion unset or "0" is the current state; N with Exact (or with a limit
   * and no match, the legacy spelling) is the state at N; N otherwise is any state not older.
   */
  private listStart(opts: ListOptions): { rev: number; afterKey?: string } {
    const now = this.store.currentRevision;
    const rv = opts.resourceVersion;
    if (opts.continue) {
      if (rv && rv !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
      const token = decodeContinue(opts.continue);
      if (token.rev < this.store.compactedRevision) throw errors.gone(CONTINUE_EXPIRED);
      return { rev: Math.min(token.rev, now), afterKey: token.key };
    }
    if (!rv || rv === '0') return { rev: now };
    const wanted = Number(rv);
    if (!Number.isSafeInteger(wanted) || wanted < 0) throw errors.badRequest(`invalid resource version: ${rv}`);
    if (wanted > now) throw tooLargeResourceVersion(wanted, now);
    const exact = opts.resourceVersionMatch === 'Exact' || (opts.resourceVersionMatch === undefined && !!opts.limit && opts.limit > 0);
    return { rev: exact ? wanted : now };
  }

  /**
   * Whether the namespace is being deleted (undefined: there is none). Every namespaced create
   * asks; what was found is kept per stored revision, so the namespace is parsed once per change.
   */
  private namespaceTerminating(ns: string): boolean | undefined {
    const key = this.key(NAMESPACES, undefined, ns);
    const rev = this.store.revisionOf(key);
    let state = this.namespaceStates.get(ns);
    if (rev === undefined) {
      this.namespaceStates.delete(ns);
      return undefined;
    }
    if (state?.rev !== rev) {
      const row = this.store.get(key);
      if (!row) return undefined;
      if (this.namespaceStates.size >= 10_000) this.namespaceStates.clear();
      state = { rev: row.rev, terminating: !!parseJSON(row.value).metadata.deletionTimestamp };
      this.namespaceStates.set(ns, state);
    }
    return state.terminating;
  }

  /** A namespaced object needs its namespace, and a namespace being deleted takes nothing new. */
  private requireNamespace(r: ResourceType, ns: string | undefined, name: string): void {
    if (!r.namespaced) return;
    if (!ns) throw errors.badRequest('the server could not find the requested resource: a namespace is required');
    const terminating = this.namespaceTerminating(ns);
    if (terminating === undefined) throw errors.notFound('namespaces', '', ns);
    if (terminating) {
      throw new ApiError(
        'Forbidden',
        `${r.plural} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      );
    }
  }

  private checkTypeMeta(r: ResourceType, obj: KubeObject): void {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw errors.badRequest('the body of the request must be a JSON object');
    const av = apiVersionOf(r);
    if (obj.apiVersion !== undefined && obj.apiVersion !== av) {
      throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${av})`);
    }
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`);
    }
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw errors.badRequest('metadata must be an object');
    obj.apiVersion = av;
    obj.kind = r.kind;
    // Custom objects have no Go types; their schema's types are checked by their strategy.
    if (!r.custom) decodeLikeGo(r, obj);
  }

  private invalid(r: ResourceType, name: string, causes: StatusCause[]): ApiError {
    return errors.invalid(r.kind, r.group, name, causes);
  }

  create(r: ResourceType, ns: string | undefined, input: KubeObject, opts: InternalWriteOptions = {}): KubeObject {
    if (r.custom?.terminating) throw new ApiError('MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
    checkBodyShape(input);
    const obj = cloneJSON(input);
    this.checkTypeMeta(r, obj);
    if (r.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns;
    } else {
      delete obj.metadata.namespace;
    }
    const schemaCauses = validateSchema(r, obj);
    if (schemaCauses.length) throw this.invalid(r, obj.metadata.name ?? obj.metadata.generateName ?? '', schemaCauses);
    this.requireNamespace(r, ns, obj.metadata.name ?? obj.metadata.generateName ?? '');
    const strategy = strategyFor(r);
    const causes = prepareMetaForCreate(obj);
    // Without a name the kind's defaults (a Job's generated labels) have nothing to work with.
    if (!obj.metadata.name) throw this.invalid(r, '', causes);
    // Status is the controllers' to write; kinds without a status subresource (and Nodes, whose
    // agent registers them with their status) keep what was sent.
    if (r.statusSubresource && !isBuiltin(r, 'Node')) delete obj.status;
    const initial = strategy.initialStatus?.(obj);
    if (initial !== undefined) obj.status = initial;
    strategy.applyDefaults(obj);
    const admission = this.admissionContext(ns);
    admitCreate(r, obj, admission);
    causes.push(...validateObjectMetaNames(r, obj), ...strategy.validate(obj));
    if (causes.length) throw this.invalid(r, obj.metadata.name ?? '', causes);
    opts.admit?.(obj);
    const charges = validateCreate(r, obj, admission, Date.now());
    if (!opts.applied) this.recordUpdate(r, undefined, obj, opts);
    if (opts.dryRun && this.view(r).get(this.key(r, ns, obj.metadata.name!))) throw errors.alreadyExists(r.plural, r.group, obj.metadata.name!);
    const allocation = this.allocate(r, obj);
    if (opts.dryRun) {
      allocation.revert();
      return obj;
    }
    try {
      const created = this.view(r).create(this.key(r, ns, obj.metadata.name!), obj);
      allocation.commit();
      // Charged in the same synchronous step as the create: no other write can see the quota in between.
      this.chargeQuotas(charges);
      return created;
    } catch (err) {
      allocation.revert();
      this.mapStoreError(err, r, obj.metadata.name!);
    }
  }

  /** What the admission plugins read of the cluster, looked up only when a plugin asks. */
  private admissionContext(ns: string | undefined): AdmissionContext {
    const all = (r: ResourceType) => () => this.store.list(storagePrefix(r, ns)).map((row) => parseJSON(row.value));
    return {
      namespace: ns,
      serviceAccounts: this.serviceAccounts,
      storageClasses: all(STORAGE_CLASSES),
      priorityClasses: all(PRIORITY_CLASSES),
      ...(ns ? { limitRanges: all(LIMIT_RANGES), resourceQuotas: all(RESOURCE_QUOTAS) } : {}),
    };
  }

  /** Writes the quotas' new status.used the ResourceQuota plugin worked out for an admitted write. */
  private chargeQuotas(charges: QuotaCharge[]): void {
    for (const { quota, used } of charges) {
      try {
        const current = this.get(RESOURCE_QUOTAS, quota.metadata.namespace, quota.metadata.name!);
        this.update(RESOURCE_QUOTAS, quota.metadata.namespace, quota.metadata.name!, { ...current, status: { ...current.status, used } }, { subresource: 'status' });
      } catch (err) {
        // The object is stored; the quota controller's next count takes it in.
        if (!(err instanceof ApiError)) throw err;
      }
    }
  }

  /**
   * create, after giving a controller a moment to make what admission needs: a pod created just
   * after its namespace waits briefly for the namespace's `default` service account, as Kubernetes'
   * ServiceAccount plugin does. Requests and in-process clients create through this.
   */
  async createWhenAdmissible(r: ResourceType, ns: string | undefined, input: KubeObject, opts: InternalWriteOptions = {}): Promise<KubeObject> {
    if (isBuiltin(r, 'Pod') && this.serviceAccounts && ns) {
      // A missing or terminating namespace is refused at once by create.
      if (this.namespaceTerminating(ns) === false) await awaitDefaultServiceAccount(input, ns, this.serviceAccounts);
    }
    return this.create(r, ns, input, opts);
  }

  /**
   * PUT. With metadata.resourceVersion set, the write only happens if it is still current (409 otherwise).
   * The main resource cannot change status (when there is a status subresource); /status only changes status.
   */
  update(r: ResourceType, ns: string | undefined, name: string, input: KubeObject, opts: RegistryWriteOptions = {}): KubeObject {
    checkBodyShape(input);
    const obj = cloneJSON(input);
    this.checkTypeMeta(r, obj);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    if (r.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns;
    }
    const schemaCauses = validateSchema(r, obj);
    if (schemaCauses.length) throw this.invalid(r, name, schemaCauses);
    const key = this.key(r, ns, name);
    const row = this.view(r).get(key);
    if (!row) throw errors.notFound(r.plural, r.group, name);
    const old = parseJSON(row.value);
    const expected = obj.metadata.resourceVersion ? Number(obj.metadata.resourceVersion) : undefined;
    if (expected !== undefined && (!Number.isInteger(expected) || expected !== row.rev)) {
      throw errors.conflict(r.plural, r.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return this.writeUpdate(r, ns, name, this.mergeForSubresource(r, obj, old, opts.subresource), old, row, opts);
  }

  private mergeForSubresource(r: ResourceType, obj: KubeObject, old: KubeObject, subresource: string | undefined): KubeObject {
    const merged = strategyFor(r).mergeSubresource?.(subresource, obj, old);
    if (merged) return merged;
    if (subresource === 'status') {
      const merged = cloneJSON(old);
      merged.status = obj.status;
      return merged;
    }
    if (r.statusSubresource && !isBuiltin(r, 'Node')) {
      if (old.status === undefined) delete obj.status;
      else obj.status = cloneJSON(old.status);
    }
    return obj;
  }

  private writeUpdate(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    obj: KubeObject,
    old: KubeObject,
    oldRow: StoredRow,
    opts: InternalWriteOptions,
  ): KubeObject {
    const expectedRev = oldRow.rev;
    const strategy = strategyFor(r);
    prepareMetaForUpdate(obj, old);
    strategy.prepareForUpdate?.(obj, old);
    strategy.applyDefaults(obj);
    followSpecGeneration(obj, old);
    const causes = [...validateObjectMetaNames(r, obj), ...strategy.validate(obj, old), ...(strategy.validateUpdate?.(obj, old) ?? [])];
    if (causes.length) throw this.invalid(r, name, causes);
    if (r.kind === 'PriorityClass') admitPriorityClass(obj, this.store.list(storagePrefix(PRIORITY_CLASSES)).map((row) => parseJSON(row.value)));
    opts.admit?.(obj, old);
    if (!opts.applied) this.recordUpdate(r, old, obj, opts);
    const key = this.key(r, ns, name);
    if (sameStoredForm(obj, old) && !oldRow.stale) {
      // A no-op write keeps the revision, as Kubernetes does; watchers see nothing. One of a value
      // stored with a retired encryption key is written anyway: that is how keys are rotated.
      return old;
    }
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && !(isBuiltin(r, 'Namespace') && obj.spec?.finalizers?.length)) {
      // The last finalizer (for a namespace, also of spec.finalizers) is gone from an object
      // being deleted: now it really goes.
      if (opts.dryRun) return obj;
      try {
        const deleted = this.view(r).delete(key, expectedRev);
        this.releaseAllocations(r, old);
        return deleted;
      } catch (err) {
        this.mapStoreError(err, r, name);
      }
    }
    const charges = opts.subresource === undefined ? validateUpdate(r, obj, old, this.admissionContext(ns), Date.now()) : [];
    const allocation = this.allocate(r, obj, old);
    if (opts.dryRun) {
      allocation.revert();
      return obj;
    }
    try {
      const updated = this.view(r).update(key, obj, expectedRev);
      allocation.commit();
      this.chargeQuotas(charges);
      return updated;
    } catch (err) {
      allocation.revert();
      this.mapStoreError(err, r, name);
    }
  }

  private writeTarget(r: ResourceType, subresource: string | undefined): WriteTarget {
    return {
      kind: r.kind,
      apiVersion: apiVersionOf(r),
      subresource,
      statusIsSubresource: r.statusSubresource && !isBuiltin(r, 'Node'),
      now: rfc3339(new Date()),
      ...(r.custom ? { type: customTypeFor(r) } : {}),
    };
  }

  /** Records the write in managedFields as an Update by opts.fieldManager, as Kubernetes does for every write. */
  private recordUpdate(r: ResourceType, old: KubeObject | undefined, obj: KubeObject, opts: RegistryWriteOptions): void {
    const managed = managedFieldsAfterUpdate(this.writeTarget(r, opts.subresource), old, obj, opts.fieldManager ?? '');
    if (managed) obj.metadata.managedFields = managed;
    else delete obj.metadata.managedFields;
  }

  /**
   * Server-side apply: merges the configuration into the object (creating it when missing) under
   * opts.fieldManager's ownership; 409 when it would change a field another manager owns, unless
   * opts.force.
   */
  async apply(r: ResourceType, ns: string | undefined, name: string, config: unknown, opts: RegistryWriteOptions = {}): Promise<{ obj: KubeObject; created: boolean }> {
    const manager = requireApplyManager(opts.fieldManager);
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw errors.badRequest('the applied configuration must be an object');
    checkBodyShape(config);
    const cfg = cloneJSON(config) as KubeObject;
    const av = apiVersionOf(r);
    if (cfg.apiVersion !== av) {
      throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${cfg.apiVersion ?? ''}, expected: ${av}`);
    }
    if (cfg.kind !== r.kind) throw errors.badRequest(`the kind in the data (${cfg.kind ?? ''}) does not match the expected kind (${r.kind})`);
    if (cfg.metadata === undefined || cfg.metadata === null) cfg.metadata = {};
    if (typeof cfg.metadata !== 'object' || Array.isArray(cfg.metadata)) throw errors.badRequest('metadata must be an object');
    if (cfg.metadata.name !== undefined && cfg.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (r.namespaced && cfg.metadata.namespace !== undefined && cfg.metadata.namespace !== ns) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const target = this.writeTarget(r, opts.subresource);
    const applyOpts = { manager, force: !!opts.force };
    const row = this.view(r).get(this.key(r, ns, name));
    if (!row) {
      if (opts.subresource) throw errors.notFound(r.plural, r.group, name);
      const fresh = applyConfiguration(target, undefined, cfg, applyOpts);
      fresh.metadata.name = name;
      return { obj: await this.createWhenAdmissible(r, ns, fresh, { ...opts, applied: true }), created: true };
    }
    const old = parseJSON(row.value);
    const merged = applyConfiguration(target, old, cfg, applyOpts);
    this.checkTypeMeta(r, merged);
    const schemaCauses = validateSchema(r, merged);
    if (schemaCauses.length) throw this.invalid(r, name, schemaCauses);
    if (merged.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(r.plural, r.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const next = this.mergeForSubresource(r, merged, old, opts.subresource);
    if (merged.metadata.managedFields) next.metadata.managedFields = merged.metadata.managedFields;
    else delete next.metadata.managedFields;
    return { obj: this.writeUpdate(r, ns, name, next, old, row, { ...opts, applied: true }), created: false };
  }

  patch(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: RegistryWriteOptions = {},
  ): KubeObject {
    const key = this.key(r, ns, name);
    const row = this.view(r).get(key);
    if (!row) throw errors.notFound(r.plural, r.group, name);
    const old = parseJSON(row.value);
    if (type === 'apply') throw errors.badRequest('server-side apply goes through Registry.apply');
    const patched = applyPatchOrRefuse(type, old, patch, r.kind) as KubeObject;
    if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw errors.badRequest('the patch must produce an object');
    this.checkTypeMeta(r, patched);
    if (patched.metadata.name !== name) throw errors.badRequest('metadata.name cannot be changed by a patch');
    const schemaCauses = validateSchema(r, patched);
    if (schemaCauses.length) throw this.invalid(r, name, schemaCauses);
    const sentRV = patched.metadata.resourceVersion;
    if (sentRV !== undefined && sentRV !== old.metadata.resourceVersion) {
      throw errors.conflict(r.plural, r.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return this.writeUpdate(r, ns, name, this.mergeForSubresource(r, patched, old, opts.subresource), old, row, opts);
  }

  /**
   * DELETE. Objects with finalizers (or with propagation Foreground/Orphan, which add one) only get
   * a deletionTimestamp; pods bound to a node get a grace period for their node agent to stop them.
   */
  delete(r: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions = {}): { obj: KubeObject; finished: boolean } {
    const key = this.key(r, ns, name);
    const row = this.view(r).get(key);
    if (!row) throw errors.notFound(r.plural, r.group, name);
    const obj = parseJSON(row.value);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw errors.conflict(r.plural, r.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw errors.conflict(
        r.plural,
        r.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
      );
    }
    const finalizers = new Set(obj.metadata.finalizers ?? []);
    if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
    if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
    const graceful = this.gracePeriod(r, obj, opts);
    if (isBuiltin(r, 'Namespace') && !obj.metadata.deletionTimestamp) {
      // The namespace controller empties it, then removes the `kubernetes` finalizer from spec.
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    }
    const specFinalizers = isBuiltin(r, 'Namespace') ? ((obj.spec?.finalizers as string[] | undefined) ?? []) : [];
    if (finalizers.size === 0 && graceful === 0 && specFinalizers.length === 0) {
      if (opts.dryRun) return { obj, finished: true };
      try {
        const deleted = this.view(r).delete(key, row.rev);
        this.releaseAllocations(r, obj);
        return { obj: deleted, finished: true };
      } catch (err) {
        this.mapStoreError(err, r, name);
      }
    }
    const now = Date.now();
    const already = obj.metadata.deletionTimestamp;
    const deadline = rfc3339(new Date(now + graceful * 1000));
    // A second delete may shorten a grace period, never lengthen it.
    if (!already || deadline < already) {
      obj.metadata.deletionTimestamp = deadline;
      if (isBuiltin(r, 'Pod')) obj.metadata.deletionGracePeriodSeconds = graceful;
    }
    obj.metadata.finalizers = [...finalizers];
    if (obj.metadata.finalizers.length === 0) delete obj.metadata.finalizers;
    if (opts.dryRun) return { obj, finished: false };
    try {
      return { obj: this.view(r).update(key, obj, row.rev), finished: false };
    } catch (err) {
      this.mapStoreError(err, r, name);
    }
  }

  private gracePeriod(r: ResourceType, obj: KubeObject, opts: DeleteOptions): number {
    // Only a pod that a node agent may be running needs time to stop; an unbound pod goes at once.
    if (!isBuiltin(r, 'Pod') || !obj.spec?.nodeName || obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed') return 0;
    const requested = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, requested);
  }

  deleteCollection(r: ResourceType, ns: string | undefined, opts: ListOptions & DeleteOptions = {}): KubeObject[] {
    const listed = this.list(r, ns, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    const objects = listed.objects ?? listed.rows.map((row) => parseJSON(row.value));
    const deleted: KubeObject[] = [];
    for (const obj of objects) {
      try {
        deleted.push(this.delete(r, obj.metadata.namespace, obj.metadata.name!, opts).obj);
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
      }
    }
    return deleted;
  }

  /**
   * Watch from opts.resourceVersion: unset or "0" starts with a synthetic ADDED for every current
   * object, as Kubernetes does. With selectors, an object that stops matching is sent as DELETED,
   * one that starts matching as ADDED.
   */
  watch(r: ResourceType, ns: string | undefined, req: WatchRequest): WatchSubscription {
    const prefix = storagePrefix(r, ns);
    const filter = buildFilter(r, req);
    const index = watchIndexFor(r, req.fieldSelector);
    const rv = req.resourceVersion;
    const latest = rv === undefined || rv === '' || rv === '0';
    const initial = req.sendInitialEvents ?? latest;
    let from: number;
    if (initial) {
      // The current state is not older than any revision the store has reached.
      if (!latest) {
        const wanted = Number(rv);
        if (!Number.isSafeInteger(wanted) || wanted < 0) throw errors.badRequest(`invalid resource version: ${rv}`);
        if (wanted > this.store.currentRevision) throw tooLargeResourceVersion(wanted, this.store.currentRevision);
      }
      from = this.store.currentRevision;
      for (const row of this.view(r).list(prefix)) {
        if (!filter) req.onEvent('ADDED', row.value);
        else {
          const obj = parseJSON(row.value);
          if (filter(obj)) req.onEvent('ADDED', row.value, obj);
        }
      }
      if (req.sendInitialEvents) req.onInitialEventsEnd?.(from);
    } else if (latest) {
      from = this.store.currentRevision;
    } else {
      from = Number(rv);
      if (!Number.isSafeInteger(from) || from < 0) throw errors.badRequest(`invalid resource version: ${rv}`);
    }
    try {
      return this.view(r).watch(prefix, from, (e) => deliver(e, filter, req), req.onClose, { committedOnly: req.committedOnly, index });
    } catch (err) {
      this.mapStoreError(err, r, '');
    }
  }
}

function deliver(e: StoreEvent, filter: ObjectFilter | undefined, req: WatchRequest): void {
  if (!filter) {
    req.onEvent(e.type, e.value, e.object);
    return;
  }
  // Parsed once per event, however many filtered watchers look at it (a node each, at scale).
  const obj = (e.object ??= parseJSON(e.value));
  const now = filter(obj);
  const before = e.prevValue !== undefined && e.type !== 'ADDED' ? filter((e.prevObject ??= parseJSON(e.prevValue))) : false;
  if (e.type === 'DELETED') {
    if (now || before) req.onEvent('DELETED', e.value, obj);
  } else if (now && (before || e.type === 'ADDED')) req.onEvent(e.type, e.value, obj);
  else if (now) req.onEvent('ADDED', e.value, obj);
  else if (before) req.onEvent('DELETED', e.value, obj);
}

// The ApiClient for controllers inside the daemon: the same calls as over HTTP, straight into the
// registry, so a controller written against ApiClient can move out of process unchanged.
import type { ApiClient, DeleteOptions, ListOptions, PatchType, WatchHandle, WatchOptions, WriteOptions } from '../../api/client.js';
import type { KubeList, KubeObject, Table, WatchEvent } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import { toTable } from '../../api/printers/table.js';
import type { Registry } from './registry.js';
import type { SigningKey } from '../serviceaccount/signing-key.js';
import { createdObject, methodNotAllowed, subresourceVerbs, type SubresourceEnv, type SubresourceVerbs } from './subresources.js';

function list(r: ResourceType, items: KubeObject[], rev: number, cont?: string): KubeList {
  return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(rev), continue: cont }, items };
}

/** Runs a synchronous registry call as the client interface's promise, errors included. */
function call<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

export class InProcessClient implements ApiClient {
  private readonly env: SubresourceEnv;

  /**
   * `fieldManager` names the writer in managedFields when a call names none, as a component's
   * user agent does over HTTP (`kube-controller-manager`, `kube-scheduler`).
   */
  constructor(
    private readonly registry: Registry,
    private readonly fieldManager?: string,
    /** Signs serviceaccounts/token requests; absent, they are refused. */
    serviceAccountKey?: SigningKey,
  ) {
    this.env = { registry, serviceAccountKey };
  }

  /**
   * A subresource's verb from the table the HTTP handler serves it from: NotFound for a
   * subresource the resource lacks, MethodNotAllowed for a verb the subresource lacks.
   */
  private verb<V extends 'create' | 'update' | 'patch'>(r: ResourceType, subresource: string, name: string, verb: V): NonNullable<SubresourceVerbs[V]> {
    const served = subresourceVerbs(r, subresource, name)?.[verb];
    if (!served) throw methodNotAllowed(r, subresource);
    return served as NonNullable<SubresourceVerbs[V]>;
  }

  private withManager<T extends WriteOptions>(opts: T | undefined): T {
    return { fieldManager: this.fieldManager, ...opts } as T;
  }

  get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    return call(() => this.registry.get(r, namespace, name));
  }

  list(r: ResourceType, namespace: string | undefined, opts?: ListOptions): Promise<KubeList> {
    return call(() => {
      const res = this.registry.list(r, namespace, opts);
      const items = res.objects ?? res.rows.map((row) => JSON.parse(row.value) as KubeObject);
      return list(r, items, res.rev, res.continueToken);
    });
  }

  listTable(r: ResourceType, namespace: string | undefined, opts: ListOptions & { name?: string } = {}): Promise<Table> {
    const objects = opts.name ? this.get(r, namespace, opts.name).then((o) => [o]) : this.list(r, namespace, opts).then((l) => l.items);
    return objects.then((items) => toTable(r, items, { now: new Date() }));
  }

  create(r: ResourceType, namespace: string | undefined, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.registry.createWhenAdmissible(r, namespace, obj, this.withManager(opts));
  }

  createSubresource(r: ResourceType, namespace: string | undefined, name: string, subresource: string, body: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return call(() => createdObject(this.verb(r, subresource, name, 'create')(this.env, { r, namespace, name }, body, this.withManager(opts))));
  }

  update(r: ResourceType, namespace: string | undefined, obj: KubeObject, opts?: WriteOptions & { subresource?: string }): Promise<KubeObject> {
    const name = obj.metadata.name!;
    const subresource = opts?.subresource;
    if (!subresource) return call(() => this.registry.update(r, namespace, name, obj, this.withManager(opts)));
    return call(() => this.verb(r, subresource, name, 'update')(this.env, { r, namespace, name }, obj, this.withManager(opts)));
  }

  patch(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { subresource?: string },
  ): Promise<KubeObject> {
    const subresource = opts?.subresource;
    if (subresource) {
      return call(() => this.verb(r, subresource, name, 'patch')).then(async (verb) => (await verb(this.env, { r, namespace, name }, type, patch, this.withManager(opts))).object);
    }
    if (type === 'apply') return this.registry.apply(r, namespace, name, patch, this.withManager(opts)).then(({ obj }) => obj);
    return call(() => this.registry.patch(r, namespace, name, type, patch, this.withManager(opts)));
  }

  delete(r: ResourceType, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject | undefined> {
    return call(() => this.registry.delete(r, namespace, name, opts).obj);
  }

  deleteCollection(r: ResourceType, namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KubeList> {
    return call(() => list(r, this.registry.deleteCollection(r, namespace, opts), this.registry.store.currentRevision));
  }

  watch(r: ResourceType, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): WatchHandle {
    let resolveDone!: () => void;
    const done = new Promise<void>((res) => (resolveDone = res));
    try {
      const sub = this.registry.watch(r, namespace, {
        ...opts,
        onEvent: (type, json, obj) => onEvent({ type, object: obj ?? (JSON.parse(json) as KubeObject) }),
        onClose: () => resolveDone(),
      });
      return {
        stop: () => {
          sub.close('stopped');
          resolveDone();
        },
        done,
      };
    } catch (err) {
      // As over HTTP, a watch that cannot start ends with an ERROR event (410 Expired and the like).
      const status = err instanceof ApiError ? err.toStatus() : new ApiError('InternalError', String(err)).toStatus();
      queueMicrotask(() => {
        onEvent({ type: 'ERROR', object: status as unknown as KubeObject });
        resolveDone();
      });
      return { stop: () => resolveDone(), done };
    }
  }
}

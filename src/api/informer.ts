// A shared informer: lists a resource type, then watches from the list's revision, keeping a
// cache every controller reads instead of the API. On 410 Expired (or a dropped watch) it lists
// again and reports what changed meanwhile, so handlers never miss a level.
import type { ApiClient, WatchHandle } from './client.js';
import type { KubeObject, WatchEvent } from './types.js';
import type { ResourceType } from './resources.js';
import { shareRepeatedValues } from './shared-values.js';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
}

export interface InformerOptions {
  /**
   * Keep only apiVersion, kind and metadata, as Kubernetes' metadata informers do: enough for the
   * garbage collector, a fraction of the memory for every pod.
   */
  metadataOnly?: boolean;
  /** The first list is read in pages of this size, yielding in between so requests are served. */
  pageSize?: number;
}

/**
 * What the cache keeps of an object: all but metadata.managedFields, which no controller reads
 * and which is a third of a pod's memory (kube-scheduler's informers drop it too). An update
 * written from a cached object without it leaves the stored managedFields as they were.
 */
function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The cached form of a full object: no managedFields, what repeats shared with other objects. */
function compactObject(obj: KubeObject): KubeObject {
  const kept = withoutManagedFields(obj);
  shareRepeatedValues(kept);
  return kept;
}

function metadataOf(obj: KubeObject): KubeObject {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: withoutManagedFields(obj).metadata };
}

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private watch: WatchHandle | undefined;
  private stopped = false;
  private readonly pending: WatchEvent[] = [];
  private dispatching = false;
  private synced!: Promise<void>;
  private resolveSynced!: () => void;

  private readonly compact: (obj: KubeObject) => KubeObject;

  constructor(
    private readonly client: ApiClient,
    readonly resource: ResourceType,
    private readonly log: (msg: string) => void = () => {},
    private readonly opts: InformerOptions = {},
  ) {
    this.synced = new Promise((r) => (this.resolveSynced = r));
    this.compact = opts.metadataOnly ? metadataOf : compactObject;
  }

  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    for (const obj of this.cache.values()) h.add?.(obj);
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /** Resolves once the first list is in the cache. */
  hasSynced(): Promise<void> {
    return this.synced;
  }

  start(): void {
    void this.run();
  }

  /**
   * Fed by another informer of the same type instead of a list and watch of its own: a metadata
   * informer beside a full one then holds the same metadata objects, not a second copy of each.
   */
  follow(source: Informer): void {
    source.addHandlers({
      add: (object) => this.onEvent({ type: 'ADDED', object }),
      update: (_, object) => this.onEvent({ type: 'MODIFIED', object }),
      delete: (object) => this.onEvent({ type: 'DELETED', object }),
    });
    void source.hasSynced().then(() => this.resolveSynced());
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const { items, rv } = await this.listAll();
        this.replace(items);
        this.resolveSynced();
        await this.watchFrom(rv);
      } catch (err) {
        this.log(`informer ${this.resource.plural}: ${(err as Error).message}; re-listing`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async listAll(): Promise<{ items: KubeObject[]; rv: string }> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list(this.resource, undefined, { limit: this.opts.pageSize ?? 500, continue: cont });
      for (const obj of page.items) items.push(this.compact(obj));
      // The watch starts from the first page's revision, so nothing changed meanwhile is missed.
      rv ||= page.metadata.resourceVersion!;
      cont = page.metadata.continue;
      await new Promise((r) => setImmediate(r));
    } while (cont);
    return { items, rv };
  }

  /** Watches until the watch ends; the caller then lists again. */
  private async watchFrom(rv: string): Promise<void> {
    this.watch = this.client.watch(this.resource, undefined, { resourceVersion: rv, bookmarks: true }, (e) => this.onEvent(e));
    await this.watch.done;
  }

  /**
   * In process, a handler's write (a controller syncing at once) delivers the next event while
   * this one is still being handed out; queued here, every handler sees the events in order,
   * never an older object after a newer one.
   */
  private onEvent(e: WatchEvent): void {
    this.pending.push(e);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length > 0) this.dispatch(this.pending.shift()!);
    } finally {
      this.dispatching = false;
    }
  }

  private dispatch(e: WatchEvent): void {
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') {
      if (e.type === 'ERROR') this.watch?.stop();
      return;
    }
    e = { type: e.type, object: this.compact(e.object) };
    const key = objectKey(e.object);
    const old = this.cache.get(key);
    if (e.type === 'DELETED') {
      this.cache.delete(key);
      for (const h of this.handlers) h.delete?.(e.object);
      return;
    }
    this.cache.set(key, e.object);
    for (const h of this.handlers) {
      if (old) h.update?.(old, e.object);
      else h.add?.(e.object);
    }
  }

  /** A fresh list: what is new or changed is added/updated, what vanished is deleted. */
  private replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      if (this.cache.get(key)?.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.onEvent({ type: this.cache.has(key) ? 'MODIFIED' : 'ADDED', object: obj });
    }
    for (const [key, obj] of [...this.cache]) if (!seen.has(key)) this.onEvent({ type: 'DELETED', object: obj });
  }
}

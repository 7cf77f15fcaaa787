// A shared informer: lists a resource type in pages, then watches from the list's revision (with
// bookmarks), keeping a cache every controller reads instead of the API. A watch that ends resumes
// from the last revision it delivered; on 410 Expired (or a failed watch) it lists again and
// reports what changed meanwhile, so handlers never miss a level. The daemon's controllers, a node
// agent's pods and each hollow node's pods are all followed through it.
import type { ApiClient, WatchHandle } from './client.js';
import type { KubeObject, Status, WatchEvent } from './types.js';
import type { ResourceType } from './resources.js';
import { shareRepeatedValues } from './shared-values.js';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
  /** A full list was read and handed out (the first and every later one): the cache holds all there is. */
  listed?(): void;
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
  /** Only the objects this field selector matches (a node's pods: spec.nodeName=NAME), listed and watched so. */
  fieldSelector?: string;
}

// How long a failed list or watch waits before the next list.
const RETRY_MS = 1000;

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

/** The cached form of a full object: no managedFields, what repeats shared with other objects (and with the version it replaces). */
function compactObject(obj: KubeObject, previous?: KubeObject): KubeObject {
  const kept = withoutManagedFields(obj);
  shareRepeatedValues(kept, previous);
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
  private loop: Promise<void> | undefined;
  private dispatching = false;
  private synced!: Promise<void>;
  private resolveSynced!: () => void;

  private readonly compact: (obj: KubeObject, previous?: KubeObject) => KubeObject;

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
    this.loop = this.run();
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

  /** Stops listing and watching; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watch?.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const { items, rv } = await this.listAll();
        this.replace(items);
        for (const h of this.handlers) h.listed?.();
        this.resolveSynced();
        let from: string | undefined = rv;
        while (from !== undefined && !this.stopped) from = await this.watchFrom(from);
      } catch (err) {
        this.log(`informer ${this.what}: ${(err as Error).message}; re-listing`);
        await this.pause();
      }
    }
  }

  private get what(): string {
    return this.opts.fieldSelector ? `${this.resource.plural} (${this.opts.fieldSelector})` : this.resource.plural;
  }

  private async pause(): Promise<void> {
    if (!this.stopped) await new Promise((r) => setTimeout(r, RETRY_MS));
  }

  private async listAll(): Promise<{ items: KubeObject[]; rv: string }> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list(this.resource, undefined, { limit: this.opts.pageSize ?? 500, continue: cont, fieldSelector: this.opts.fieldSelector });
      for (const obj of page.items) items.push(this.compact(obj));
      // The watch starts from the first page's revision, so nothing changed meanwhile is missed.
      rv ||= page.metadata.resourceVersion!;
      cont = page.metadata.continue;
      await new Promise((r) => setImmediate(r));
    } while (cont);
    return { items, rv };
  }

  /**
   * Watches until the watch ends: the last revision it delivered (bookmarks included), to resume
   * from, or undefined when the revision is gone (410 Expired) or the watch failed, to list again.
   */
  private async watchFrom(rv: string): Promise<string | undefined> {
    let latest = rv;
    let error: Status | undefined;
    const fieldSelector = this.opts.fieldSelector;
    this.watch = this.client.watch(this.resource, undefined, { resourceVersion: rv, bookmarks: true, ...(fieldSelector ? { fieldSelector } : {}) }, (e) => {
      if (error) return;
      if (e.type === 'ERROR') {
        error = e.object as unknown as Status;
        this.watch?.stop();
        return;
      }
      latest = e.object.metadata?.resourceVersion ?? latest;
      this.onEvent(e);
    });
    await this.watch.done;
    if (!error) return latest;
    if (error.code !== 410) {
      this.log(`informer ${this.what}: the watch failed: ${error.message ?? 'no reason given'}; re-listing`);
      await this.pause();
    }
    return undefined;
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
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') return;
    const key = objectKey(e.object);
    const old = this.cache.get(key);
    e = { type: e.type, object: this.compact(e.object, old) };
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

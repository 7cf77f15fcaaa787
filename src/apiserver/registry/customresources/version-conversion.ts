// The store as one served version of a custom resource sees it. Objects are stored in the
// definition's storage version; with conversion strategy None, serving them in another version
// only rewrites apiVersion, on the way in and on the way out (lists, watches and writes alike).
import type { KubeObject } from '../../../api/types.js';
import { apiVersionOf, type ResourceType } from '../../../api/resources.js';
import type { SqliteStore, StoredRow } from '../../storage/sqlite-store.js';
import type { StoreEvent, WatchSubscription } from '../../storage/watch-broadcaster.js';

/** What the registry uses of the store. */
export type StoreView = Pick<
  SqliteStore,
  'currentRevision' | 'compactedRevision' | 'get' | 'list' | 'listAt' | 'revisions' | 'valueAt' | 'count' | 'changedSince' | 'create' | 'update' | 'delete' | 'watch'
>;

/** The store as r sees it: the store itself, unless r is served in a version other than the one stored. */
export function storeFor(store: SqliteStore, r: ResourceType): StoreView {
  if (!r.custom || r.custom.storageVersion === r.version) return store;
  return new ConvertingStore(store, `${r.group}/${r.custom.storageVersion}`, apiVersionOf(r));
}

class ConvertingStore implements StoreView {
  constructor(
    private readonly store: SqliteStore,
    private readonly stored: string,
    private readonly served: string,
  ) {}

  get currentRevision(): number {
    return this.store.currentRevision;
  }

  get compactedRevision(): number {
    return this.store.compactedRevision;
  }

  private out(obj: KubeObject): KubeObject {
    return obj.apiVersion === this.stored ? { ...obj, apiVersion: this.served } : obj;
  }

  private outJSON(value: string): string {
    return JSON.stringify(this.out(JSON.parse(value) as KubeObject));
  }

  private outRow(row: StoredRow): StoredRow {
    return { ...row, value: this.outJSON(row.value) };
  }

  private in(obj: KubeObject): KubeObject {
    return { ...obj, apiVersion: this.stored };
  }

  get(key: string): StoredRow | undefined {
    const row = this.store.get(key);
    return row && this.outRow(row);
  }

  list(prefix: string, opts?: { afterKey?: string; limit?: number }): StoredRow[] {
    return this.store.list(prefix, opts).map((row) => this.outRow(row));
  }

  listAt(prefix: string, rev: number, opts?: { afterKey?: string; limit?: number }): StoredRow[] {
    return this.store.listAt(prefix, rev, opts).map((row) => this.outRow(row));
  }

  revisions(prefix: string): { key: string; rev: number }[] {
    return this.store.revisions(prefix);
  }

  valueAt(key: string, rev: number): string | undefined {
    const value = this.store.valueAt(key, rev);
    return value === undefined ? undefined : this.outJSON(value);
  }

  count(prefix: string, afterKey?: string): number {
    return this.store.count(prefix, afterKey);
  }

  changedSince(prefix: string, rev: number): boolean {
    return this.store.changedSince(prefix, rev);
  }

  create(key: string, obj: KubeObject): KubeObject {
    return this.out(this.store.create(key, this.in(obj)));
  }

  update(key: string, obj: KubeObject, expectedRev?: number): KubeObject {
    return this.out(this.store.update(key, this.in(obj), expectedRev));
  }

  delete(key: string, expectedRev?: number): KubeObject {
    return this.out(this.store.delete(key, expectedRev));
  }

  watch(prefix: string, fromRev: number, onEvent: (e: StoreEvent) => void, onClose: (reason: string) => void): WatchSubscription {
    return this.store.watch(
      prefix,
      fromRev,
      (e) => {
        const object = this.out(e.object ?? (JSON.parse(e.value) as KubeObject));
        onEvent({ type: e.type, key: e.key, rev: e.rev, object, value: JSON.stringify(object), prevValue: e.prevValue === undefined ? undefined : this.outJSON(e.prevValue) });
      },
      onClose,
    );
  }
}

// The store as one served version of a kind sees it, when objects are stored in another: a custom
// resource served in a version other than its definition's storage version (conversion strategy
// None: only apiVersion is rewritten), or a built-in kind's other version (autoscaling/v1
// HorizontalPodAutoscalers, stored in v2: see src/api/hpa-conversion.ts). Objects are converted on
// the way in and on the way out (gets, lists, watches and writes alike).
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, isStorageVersion, type ResourceType } from '../../api/resources.js';
import { hpaToV1, hpaToV2, hpaV1UnknownFields } from '../../api/hpa-conversion.js';
import type { SqliteStore, StoredRow, WatchOptions } from '../storage/sqlite-store.js';
import type { StoreEvent, WatchSubscription } from '../storage/watch-broadcaster.js';

/** What the registry uses of the store. */
export type StoreView = Pick<
  SqliteStore,
  'currentRevision' | 'compactedRevision' | 'get' | 'list' | 'listAt' | 'revisions' | 'valueAt' | 'count' | 'changedSince' | 'create' | 'update' | 'delete' | 'watch'
>;

/** Between the version r serves and the version its objects are stored in. */
export interface VersionConversion {
  toStored(obj: KubeObject): KubeObject;
  toServed(obj: KubeObject): KubeObject;
  /** The fields of a sent object its version does not have (a conversion would drop them unseen). */
  unknownFields?(obj: unknown): string[];
}

/** The built-in kinds served in a version besides their stored one, by `apiVersion/kind` served. */
const BUILT_IN: Record<string, VersionConversion> = {
  'autoscaling/v1/HorizontalPodAutoscaler': { toStored: hpaToV2, toServed: hpaToV1, unknownFields: hpaV1UnknownFields },
};

/** How r's objects are converted to and from storage; undefined when r is the version stored. */
export function conversionFor(r: ResourceType): VersionConversion | undefined {
  if (isStorageVersion(r)) return undefined;
  if (r.custom) {
    const stored = `${r.group}/${r.custom.storageVersion}`;
    const served = apiVersionOf(r);
    return {
      toStored: (obj) => ({ ...obj, apiVersion: stored }),
      toServed: (obj) => (obj.apiVersion === stored ? { ...obj, apiVersion: served } : obj),
    };
  }
  const conversion = BUILT_IN[`${apiVersionOf(r)}/${r.kind}`];
  if (!conversion) throw new Error(`no conversion for ${apiVersionOf(r)} ${r.kind}`);
  return conversion;
}

/** The store as r sees it: the store itself, unless r is served in a version other than the one stored. */
export function storeFor(store: SqliteStore, r: ResourceType): StoreView {
  const conversion = conversionFor(r);
  return conversion ? new ConvertingStore(store, conversion) : store;
}

class ConvertingStore implements StoreView {
  constructor(
    private readonly store: SqliteStore,
    private readonly conversion: VersionConversion,
  ) {}

  get currentRevision(): number {
    return this.store.currentRevision;
  }

  get compactedRevision(): number {
    return this.store.compactedRevision;
  }

  private out(obj: KubeObject): KubeObject {
    return this.conversion.toServed(obj);
  }

  private outJSON(value: string): string {
    return JSON.stringify(this.out(JSON.parse(value) as KubeObject));
  }

  private outRow(row: StoredRow): StoredRow {
    return { ...row, value: this.outJSON(row.value) };
  }

  private in(obj: KubeObject): KubeObject {
    return this.conversion.toStored(obj);
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

  watch(prefix: string, fromRev: number, onEvent: (e: StoreEvent) => void, onClose: (reason: string) => void, opts?: WatchOptions): WatchSubscription {
    return this.store.watch(
      prefix,
      fromRev,
      (e) => {
        const object = this.out(e.object ?? (JSON.parse(e.value) as KubeObject));
        onEvent({ type: e.type, key: e.key, rev: e.rev, object, value: JSON.stringify(object), prevValue: e.prevValue === undefined ? undefined : this.outJSON(e.prevValue) });
      },
      onClose,
      opts,
    );
  }
}

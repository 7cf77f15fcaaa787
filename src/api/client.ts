// The API client interface every component programs against. Two implementations: an HTTP one
// (CLI, node agents) and an in-process one (controllers and scheduler inside the daemon), so a
// controller can move out of process unchanged.
import type { KubeList, KubeObject, Table, WatchEvent } from './types.js';
import type { ResourceType } from './resources.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** How resourceVersion is read (list): the state at exactly it, or any state not older. */
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Who makes the write, recorded in metadata.managedFields (required for an apply). */
  fieldManager?: string;
  /** Apply only: take over fields another manager owns instead of failing with a conflict. */
  force?: boolean;
}

export interface DeleteOptions extends WriteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** `apply`: server-side apply (`application/apply-patch+yaml`), creating the object if it is missing. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface WatchHandle {
  /** Stops the watch; no more events are delivered after it returns. */
  stop(): void;
  /** Resolves when the watch ends, for whatever reason (stop, server close, error). */
  done: Promise<void>;
}

export interface WatchOptions extends ListOptions {
  /** Also ask for BOOKMARK events (allowWatchBookmarks). */
  bookmarks?: boolean;
}

export interface ApiClient {
  get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(r: ResourceType, namespace: string | undefined, opts?: ListOptions): Promise<KubeList>;
  /** Server-side printed table (kubectl's `as=Table`). */
  listTable(r: ResourceType, namespace: string | undefined, opts?: ListOptions & { name?: string }): Promise<Table>;
  create(r: ResourceType, namespace: string | undefined, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /** POST to a subresource of an object: `pods/binding`, `serviceaccounts/token`… */
  createSubresource(r: ResourceType, namespace: string | undefined, name: string, subresource: string, body: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  update(r: ResourceType, namespace: string | undefined, obj: KubeObject, opts?: WriteOptions & { subresource?: string }): Promise<KubeObject>;
  patch(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { subresource?: string },
  ): Promise<KubeObject>;
  delete(r: ResourceType, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject | undefined>;
  deleteCollection(r: ResourceType, namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KubeList>;
  watch(r: ResourceType, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): WatchHandle;
}

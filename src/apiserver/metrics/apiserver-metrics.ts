// The API server's own Prometheus metrics, under Kubernetes' names and labels, in prom-client's
// process-wide registry (as Kubernetes' legacyregistry): requests by verb, resource and code with
// their latency, long-running requests (watches), watch events sent, and what the store holds.
import { statSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';
import { RESOURCES, storagePrefix, type ResourceType } from '../../api/resources.js';
import type { SqliteStore } from '../storage/sqlite-store.js';

const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
// Kubernetes' buckets for apiserver_request_duration_seconds.
const REQUEST_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export const requestTotal = new Counter({
  name: 'apiserver_request_total',
  help: '[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  labelNames: [...REQUEST_LABELS, 'code'],
});

export const requestDuration = new Histogram({
  name: 'apiserver_request_duration_seconds',
  help: '[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
  labelNames: REQUEST_LABELS,
  buckets: REQUEST_BUCKETS,
});

export const longRunningRequests = new Gauge({
  name: 'apiserver_longrunning_requests',
  help: '[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
  labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
});

export const watchEvents = new Counter({
  name: 'apiserver_watch_events_total',
  help: '[ALPHA] Number of events sent in watch clients',
  labelNames: ['group', 'version', 'resource'],
});

export type RequestLabels = Record<(typeof REQUEST_LABELS)[number], string>;

/** Adds the process figures (CPU, memory, file descriptors, event loop lag) and the store's to the registry. */
export function registerProcessAndStorageMetrics(store: SqliteStore): void {
  collectDefaultMetrics();
  new Gauge({
    name: 'apiserver_storage_objects',
    help: '[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
    labelNames: ['resource'],
    collect() {
      for (const r of RESOURCES) {
        let n: number;
        try {
          n = store.count(storagePrefix(r));
        } catch {
          n = -1;
        }
        this.set({ resource: groupResource(r) }, n);
      }
    },
  });
  new Gauge({
    name: 'apiserver_storage_size_bytes',
    help: '[STABLE] Size of the storage database file physically allocated in bytes.',
    labelNames: ['storage_cluster_id'],
    collect() {
      let bytes = 0;
      for (const f of [store.file, `${store.file}-wal`]) {
        try {
          bytes += statSync(f).blocks * 512;
        } catch {
          // no WAL at the moment
        }
      }
      this.set({ storage_cluster_id: 'kctl' }, bytes);
    },
  });
}

/** `pods`, `deployments.apps`: the resource label Kubernetes gives storage figures. */
function groupResource(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export { register as metricsRegistry };

// Empties a namespace being deleted, then removes its `kubernetes` finalizer so the API server can
// let it go, as Kubernetes' namespace controller does. Level-triggered: sync(name) looks at the
// namespace as it is now and does what is left to do.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind, isStorageVersion, servedResources } from '../../../api/resources.js';
import type { Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';

const NAMESPACES = findByKind('Namespace')!;
/** Every namespaced kind stored now, each once (in its storage version). */
function namespaced() {
  return servedResources().filter((r) => r.namespaced && isStorageVersion(r));
}
/** How soon to look again while objects are still going (pods finishing their grace period). */
const RECHECK_MS = 1000;

export class NamespaceController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly namespaces: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`namespace ${key}: ${(err as Error).message}`), { name: 'namespace' });
    namespaces.addHandlers({
      add: (ns) => this.queue.add(ns.metadata.name!),
      update: (_old, ns) => this.queue.add(ns.metadata.name!),
    });
  }

  async sync(name: string): Promise<void> {
    const ns = this.namespaces.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const r of namespaced()) {
      await this.client.deleteCollection(r, name, {});
      // What is still listed is on its way out (a pod in its grace period, an object with finalizers).
      if ((await this.client.list(r, name, { limit: 1 })).items.length > 0) remaining++;
    }
    if (remaining > 0) {
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    const finalizers: string[] = ns.spec?.finalizers ?? [];
    if (!finalizers.includes('kubernetes')) return;
    try {
      await this.client.update(NAMESPACES, undefined, { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== 'kubernetes') } }, { subresource: 'finalize' });
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
  }
}

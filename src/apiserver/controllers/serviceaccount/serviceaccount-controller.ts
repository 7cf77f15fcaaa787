// Makes sure every active namespace has a `default` ServiceAccount, as Kubernetes'
// serviceaccount-controller does: made when the namespace appears, made again when deleted.
// Level-triggered: sync(namespace) compares the informers' caches with what should be.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import type { Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { DEFAULT_SERVICE_ACCOUNT } from '../../../api/service-accounts.js';
import { isActiveNamespace } from '../namespaces.js';

const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;
const MANAGED = [DEFAULT_SERVICE_ACCOUNT];

export class ServiceAccountController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly namespaces: Informer,
    private readonly serviceAccounts: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((ns) => this.sync(ns), (ns, err) => log(`serviceaccount-controller: namespace ${ns}: ${(err as Error).message}`), { name: 'serviceaccount' });
    const enqueueNamespace = (ns: KubeObject) => this.queue.add(ns.metadata.name!);
    namespaces.addHandlers({ add: enqueueNamespace, update: (_old, ns) => enqueueNamespace(ns) });
    serviceAccounts.addHandlers({
      delete: (sa) => {
        if (MANAGED.includes(sa.metadata.name!)) this.queue.add(sa.metadata.namespace!);
      },
    });
  }

  async sync(namespace: string): Promise<void> {
    if (!isActiveNamespace(this.namespaces.get(namespace))) return;
    for (const name of MANAGED) {
      if (this.serviceAccounts.get(`${namespace}/${name}`)) continue;
      try {
        await this.client.create(SERVICE_ACCOUNTS, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
      } catch (err) {
        // A lagging cache: it is there already. A namespace going away takes nothing new.
        if (err instanceof ApiError && (err.reason === 'AlreadyExists' || err.reason === 'Forbidden' || err.reason === 'NotFound')) continue;
        throw err;
      }
    }
  }
}

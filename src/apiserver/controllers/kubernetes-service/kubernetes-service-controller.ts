// The `default/kubernetes` Service and its Endpoints, as kube-apiserver keeps them: the first
// address of the service range, port 443, leading to this API server, so a pod finds the API the
// way client libraries look for it in a cluster (KUBERNETES_SERVICE_HOST, kubernetes.default.svc).
// Made again when deleted, put right when changed (the API server restarted on another port).
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { semanticallyEqual } from '../../../api/semantic-equality.js';

const SERVICES = findByKind('Service')!;
const ENDPOINTS = findByKind('Endpoints')!;
const NAMESPACE = 'default';
const NAME = 'kubernetes';
const KEY = `${NAMESPACE}/${NAME}`;

export interface KubernetesServiceOptions {
  /** The first address of --service-cluster-ip-range. */
  clusterIP: string;
  /** Where pods reach this API server (the service proxy DNATs to it). */
  endpoint: { ip: string; port: number };
}

function wantedPorts(o: KubernetesServiceOptions): object[] {
  return [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.endpoint.port }];
}

function wantedSubsets(o: KubernetesServiceOptions): object[] {
  return [{ addresses: [{ ip: o.endpoint.ip }], ports: [{ name: 'https', port: o.endpoint.port, protocol: 'TCP' }] }];
}

export class KubernetesServiceController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly services: Informer,
    private readonly endpoints: Informer,
    private readonly opts: KubernetesServiceOptions,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue(() => this.sync(), (_key, err) => log(`kubernetes-service-controller: ${(err as Error).message}`), { name: 'kubernetes_service' });
    const onChange = (obj: KubeObject) => {
      if (obj.metadata.namespace === NAMESPACE && obj.metadata.name === NAME) this.queue.add(KEY);
    };
    for (const inf of [services, endpoints]) inf.addHandlers({ add: onChange, update: (_old, obj) => onChange(obj), delete: onChange });
    // Nothing may exist yet: look once the caches are filled.
    void Promise.all([services.hasSynced(), endpoints.hasSynced()]).then(() => this.queue.add(KEY));
  }

  async sync(): Promise<void> {
    await this.syncService();
    await this.syncEndpoints();
  }

  private async syncService(): Promise<void> {
    const service = this.services.get(KEY);
    if (!service) {
      await this.ignoreExisting(
        this.client.create(SERVICES, NAMESPACE, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: NAME, labels: { component: 'apiserver', provider: 'kubernetes' } },
          spec: { type: 'ClusterIP', clusterIP: this.opts.clusterIP, ports: wantedPorts(this.opts), sessionAffinity: 'None' },
        }),
      );
      return;
    }
    if (!semanticallyEqual(service.spec?.ports, wantedPorts(this.opts))) {
      await this.client.patch(SERVICES, NAMESPACE, NAME, 'merge', { spec: { ports: wantedPorts(this.opts) } });
    }
  }

  private async syncEndpoints(): Promise<void> {
    const endpoints = this.endpoints.get(KEY);
    if (endpoints && semanticallyEqual(endpoints.subsets, wantedSubsets(this.opts))) return;
    const object = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      // Kubernetes keeps this one out of EndpointSlice mirroring; its slice is its own.
      metadata: { name: NAME, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: wantedSubsets(this.opts),
    };
    if (!endpoints) await this.ignoreExisting(this.client.create(ENDPOINTS, NAMESPACE, object));
    else await this.client.update(ENDPOINTS, NAMESPACE, { ...object, metadata: { ...object.metadata, resourceVersion: endpoints.metadata.resourceVersion } });
  }

  /** A lagging cache: made meanwhile, and the informer's event brings the next sync. */
  private async ignoreExisting(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}

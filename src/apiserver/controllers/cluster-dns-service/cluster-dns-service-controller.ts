// The `kube-system/kube-dns` Service at its fixed address (the tenth of the service range,
// 10.96.0.10 by default, as kubeadm places it), the address written into pods' resolv.conf. Cluster
// DNS answers at it on every machine: each machine's service proxy sends it to the DNS server of
// that machine (node-local, as NodeLocal DNSCache does), so the Service has no selector and no
// endpoints. Made again when deleted; its ports put right when changed.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { semanticallyEqual } from '../../../api/semantic-equality.js';
import { CLUSTER_DNS_SERVICE } from '../../../api/cluster-network.js';

const SERVICES = findByKind('Service')!;
const KEY = `${CLUSTER_DNS_SERVICE.namespace}/${CLUSTER_DNS_SERVICE.name}`;
const PORTS = [
  { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
  { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
];

export class ClusterDnsServiceController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly services: Informer,
    private readonly clusterIP: string,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue(() => this.sync(), (_key, err) => log(`cluster-dns-service-controller: ${(err as Error).message}`), { name: 'cluster_dns_service' });
    const onChange = (svc: KubeObject) => {
      if (svc.metadata.namespace === CLUSTER_DNS_SERVICE.namespace && svc.metadata.name === CLUSTER_DNS_SERVICE.name) this.queue.add(KEY);
    };
    services.addHandlers({ add: onChange, update: (_old, svc) => onChange(svc), delete: onChange });
    void services.hasSynced().then(() => this.queue.add(KEY));
  }

  async sync(): Promise<void> {
    const service = this.services.get(KEY);
    if (service) {
      if (!semanticallyEqual(service.spec?.ports, PORTS)) {
        await this.client.patch(SERVICES, CLUSTER_DNS_SERVICE.namespace, CLUSTER_DNS_SERVICE.name, 'merge', { spec: { ports: PORTS } });
      }
      return;
    }
    try {
      await this.client.create(SERVICES, CLUSTER_DNS_SERVICE.namespace, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: CLUSTER_DNS_SERVICE.name,
          labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        },
        spec: { type: 'ClusterIP', clusterIP: this.clusterIP, ports: PORTS, sessionAffinity: 'None' },
      });
    } catch (err) {
      // A lagging cache: made meanwhile, and its event brings the next sync.
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}

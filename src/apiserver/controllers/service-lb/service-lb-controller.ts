// The load balancer of a machine-local cluster: each LoadBalancer Service gets one address of
// LOAD_BALANCER_CIDR (127.240.0.0/16: loopback, it answers on this machine only, and one address
// per Service lets two of them use one port), published as status.loadBalancer.ingress
// [{ip, ipMode: VIP}] through the status subresource. The node agent's proxy routes ip:port to
// the Service. A Service that stops being a LoadBalancer (or goes) gives its address back and its
// status is cleared. Events as Kubernetes' service controller words them.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { semanticallyEqual } from '../../../api/semantic-equality.js';
import { LOAD_BALANCER_CIDR } from '../../../api/cluster-network.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { LoadBalancerAddresses, isOurLoadBalancer, publishedAddresses } from './load-balancer-addresses.js';

const SERVICES = findByKind('Service')!;

export class ServiceLoadBalancerController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly addresses: LoadBalancerAddresses;
  private rebuilt: Promise<void> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly services: Informer,
    log: (msg: string) => void,
    cidr = LOAD_BALANCER_CIDR,
  ) {
    this.addresses = new LoadBalancerAddresses(cidr);
    this.recorder = new EventRecorder(client, { component: 'service-controller' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`service-lb-controller: service ${key}: ${(err as Error).message}`), { name: 'service_lb' });
    const enqueue = (svc: KubeObject) => this.queue.add(objectKey(svc));
    services.addHandlers({ add: enqueue, update: (_old, svc) => enqueue(svc), delete: enqueue });
  }

  /** Addresses already published are known before any is handed out. */
  private whenRebuilt(): Promise<void> {
    this.rebuilt ??= this.services.hasSynced().then(() => this.addresses.rebuild(this.services.list()));
    return this.rebuilt;
  }

  async sync(key: string): Promise<void> {
    await this.whenRebuilt();
    const svc = this.services.get(key);
    if (!svc || svc.metadata.deletionTimestamp || !isOurLoadBalancer(svc)) {
      const had = this.addresses.addressOf(key);
      this.addresses.release(key);
      // Another implementation's status (loadBalancerClass) is not ours to clear.
      if (svc && !svc.spec?.loadBalancerClass && svc.spec?.type !== 'LoadBalancer' && publishedAddresses(svc).length > 0) {
        await this.writeStatus(svc, {});
        if (had) this.recorder.event(referenceTo(svc), 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      }
      return;
    }
    const assignment = this.addresses.assign(svc);
    if ('error' in assignment) {
      this.recorder.event(referenceTo(svc), 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: failed to ensure load balancer: ${assignment.error}`);
      return;
    }
    const wanted = { ingress: [{ ip: assignment.ip, ipMode: 'VIP' }] };
    if (semanticallyEqual(svc.status?.loadBalancer, wanted)) return;
    this.recorder.event(referenceTo(svc), 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    await this.writeStatus(svc, wanted);
    this.recorder.event(referenceTo(svc), 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
  }

  private async writeStatus(svc: KubeObject, loadBalancer: unknown): Promise<void> {
    try {
      await this.client.update(SERVICES, svc.metadata.namespace, { ...svc, status: { ...(svc.status ?? {}), loadBalancer } }, { subresource: 'status' });
    } catch (err) {
      // Gone meanwhile: its delete event brings it here again. A conflict is retried with a fresh cache.
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      throw err;
    }
  }
}

// Kubernetes' endpoints controller: for every Service with a selector, an Endpoints of the same
// name listing its pods (service-endpoints.ts computes them), written only when they changed.
// A Service without selector keeps the Endpoints its user writes; a deleted Service's goes.
// Level-triggered on the Service key; pod changes enqueue the Services selecting the pod before
// and after the change, so a readiness flip moves its address at once.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { semanticallyEqual } from '../../../api/semantic-equality.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { endpointLabels, endpointSubsets, hasSelector, podEndpoints, selects, servicesSelecting } from './service-endpoints.js';

const ENDPOINTS = findByKind('Endpoints')!;

/** Enqueues, for every pod event, the Services that select the pod (before or after the change). */
export function enqueueServicesOfPods(pods: Informer, services: Informer, queue: WorkQueue): void {
  const enqueue = (pod: KubeObject) => {
    for (const key of servicesSelecting(services.list(pod.metadata.namespace), pod)) queue.add(key);
  };
  pods.addHandlers({
    add: enqueue,
    update: (old, pod) => {
      enqueue(pod);
      if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) enqueue(old);
    },
    delete: enqueue,
  });
  const enqueueService = (svc: KubeObject) => queue.add(objectKey(svc));
  services.addHandlers({ add: enqueueService, update: (_old, svc) => enqueueService(svc), delete: enqueueService });
}

/** A create in a namespace being deleted (or gone) is refused: the Service goes with it, nothing to retry. */
export async function createUnlessTerminating(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (err instanceof ApiError && (err.reason === 'Forbidden' || err.reason === 'NotFound')) return;
    throw err;
  }
}

export class EndpointsController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly services: Informer,
    private readonly pods: Informer,
    private readonly endpoints: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`endpoints-controller: service ${key}: ${(err as Error).message}`), { name: 'endpoint' });
    enqueueServicesOfPods(pods, services, this.queue);
    // An Endpoints changed or removed by someone else is put back.
    const enqueueOwner = (ep: KubeObject) => this.queue.add(objectKey(ep));
    endpoints.addHandlers({ update: (_old, ep) => enqueueOwner(ep), delete: enqueueOwner });
  }

  async sync(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const svc = this.services.get(key);
    const current = this.endpoints.get(key);
    if (!svc) {
      if (current) await this.deleteEndpoints(namespace, name);
      return;
    }
    if (!hasSelector(svc)) return;
    const pods = this.pods.list(namespace).filter((pod) => selects(svc, pod));
    const subsets = endpointSubsets(svc, podEndpoints(svc, pods));
    const labels = endpointLabels(svc);
    if (current && semanticallyEqual(current.subsets, subsets) && semanticallyEqual(current.metadata.labels, labels)) return;
    const metadata: KubeObject['metadata'] = { ...(current?.metadata ?? { name, namespace }), labels };
    if (Object.keys(labels).length === 0) delete metadata.labels;
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata,
      ...(subsets.length ? { subsets } : {}),
    };
    if (current) await this.client.update(ENDPOINTS, namespace, desired);
    else await createUnlessTerminating(() => this.client.create(ENDPOINTS, namespace, desired));
  }

  private async deleteEndpoints(namespace: string, name: string): Promise<void> {
    try {
      await this.client.delete(ENDPOINTS, namespace, name);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
  }
}

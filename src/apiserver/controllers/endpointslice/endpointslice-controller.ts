// Kubernetes' EndpointSlice controller: for every Service with a selector, EndpointSlices
// (labelled kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io, owned by
// the Service) listing its pods with their ready/serving/terminating conditions. Same pods and
// ports as the Endpoints controller (service-endpoints.ts); slices written only when they change.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import type { Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { hasSelector, podEndpoints, selects } from '../endpoints/service-endpoints.js';
import { createUnlessTerminating, enqueueServicesOfPods } from '../endpoints/endpoints-controller.js';
import { SERVICE_NAME_LABEL, desiredSlices, isManagedSliceOf, newSlice, planSlices } from './endpoint-slices.js';

const ENDPOINT_SLICES = findByKind('EndpointSlice')!;

export class EndpointSliceController {
  readonly queue: WorkQueue;
  /**
   * Per Service, the slices written whose write the informer has not shown yet (name to revision):
   * until it has, the cache would make a sync create a slice twice, so the sync waits for the event.
   */
  private readonly unseen = new Map<string, Map<string, number>>();

  constructor(
    private readonly client: ApiClient,
    private readonly services: Informer,
    private readonly pods: Informer,
    private readonly slices: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`endpointslice-controller: service ${key}: ${(err as Error).message}`), { name: 'endpoint_slice' });
    enqueueServicesOfPods(pods, services, this.queue);
    // A managed slice changed or removed by someone else is put back.
    const enqueueService = (slice: KubeObject, deleted = false) => {
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (!service) return;
      const key = `${slice.metadata.namespace}/${service}`;
      const unseen = this.unseen.get(key);
      if (unseen?.has(slice.metadata.name!) && (deleted || Number(slice.metadata.resourceVersion) >= unseen.get(slice.metadata.name!)!)) {
        unseen.delete(slice.metadata.name!);
        if (unseen.size === 0) this.unseen.delete(key);
      }
      this.queue.add(key);
    };
    slices.addHandlers({ add: (slice) => enqueueService(slice), update: (_old, slice) => enqueueService(slice), delete: (slice) => enqueueService(slice, true) });
  }

  private written(key: string, slice: KubeObject): void {
    // The event may have come already (the in-process watch delivers before the write returns).
    const cached = this.slices.get(`${slice.metadata.namespace}/${slice.metadata.name}`);
    if (cached && Number(cached.metadata.resourceVersion) >= Number(slice.metadata.resourceVersion)) return;
    let unseen = this.unseen.get(key);
    if (!unseen) this.unseen.set(key, (unseen = new Map()));
    unseen.set(slice.metadata.name!, Number(slice.metadata.resourceVersion));
  }

  async sync(key: string): Promise<void> {
    if (this.unseen.has(key)) return;
    const [namespace, name] = key.split('/');
    const svc = this.services.get(key);
    const existing = this.slices.list(namespace).filter((s) => isManagedSliceOf(s, namespace, name) && !s.metadata.deletionTimestamp);
    if (!svc || !hasSelector(svc)) {
      // The garbage collector would take them with the Service; a selector removed leaves them to nobody.
      for (const slice of existing) await this.deleteSlice(slice);
      return;
    }
    const pods = this.pods.list(namespace).filter((pod) => selects(svc, pod));
    const plan = planSlices(existing, desiredSlices(svc, podEndpoints(svc, pods)));
    for (const { slice, content } of plan.update) {
      const updated = await this.client.update(ENDPOINT_SLICES, namespace, {
        ...slice,
        metadata: { ...slice.metadata, labels: content.labels },
        endpoints: content.endpoints,
        ports: content.ports,
      });
      this.written(key, updated);
    }
    for (const content of plan.create) {
      await createUnlessTerminating(async () => this.written(key, await this.client.create(ENDPOINT_SLICES, namespace, newSlice(svc, content))));
    }
    for (const slice of plan.delete) await this.deleteSlice(slice);
  }

  private async deleteSlice(slice: KubeObject): Promise<void> {
    try {
      await this.client.delete(ENDPOINT_SLICES, slice.metadata.namespace, slice.metadata.name!);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
  }
}

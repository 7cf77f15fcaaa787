// Publishes the proxy's address in status.loadBalancer.ingress of every Ingress it serves, so
// `kubectl get ingress` shows it under ADDRESS. Level-triggered: each served Ingress whose status
// differs is patched through the status subresource; failures are retried with back-off.
import type { ApiClient } from '../../api/client.js';
import { Informer, objectKey } from '../../api/informer.js';
import type { KubeObject } from '../../api/types.js';
import { WorkQueue } from '../../api/work-queue.js';
import { servedByClass } from './ingress-class.js';

export class IngressStatusPublisher {
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly ingresses: Informer,
    private readonly className: string,
    private readonly address: string,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue(
      (key) => this.sync(key),
      (key, err) => log(`ingress proxy: publishing the address of ingress ${key}: ${(err as Error).message}`),
      { baseDelayMs: 500, maxDelayMs: 30_000, name: 'ingress_status' },
    );
    const enqueue = (obj: KubeObject) => this.queue.add(objectKey(obj));
    ingresses.addHandlers({ add: enqueue, update: (_old, obj) => enqueue(obj) });
  }

  stop(): void {
    this.queue.stop();
  }

  private async sync(key: string): Promise<void> {
    const ing = this.ingresses.get(key);
    if (!ing || ing.metadata.deletionTimestamp || !servedByClass(ing, this.className)) return;
    const current = ing.status?.loadBalancer?.ingress ?? [];
    if (current.length === 1 && current[0].ip === this.address && !current[0].hostname) return;
    const status = { loadBalancer: { ingress: [{ ip: this.address }] } };
    await this.client.patch(this.ingresses.resource, ing.metadata.namespace, ing.metadata.name!, 'merge', { status }, { subresource: 'status' });
  }
}

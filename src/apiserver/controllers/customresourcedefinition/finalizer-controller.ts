// Kubernetes' CRD finalizer controller: a definition being deleted is marked Terminating (the
// server then refuses new objects), its objects are deleted in every namespace, and once none is
// left its customresourcecleanup finalizer is removed so the definition goes, and with it the
// resource's endpoints.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { findServed } from '../../../api/resources.js';
import { CRD_CLEANUP_FINALIZER, storageVersionOf } from '../../../api/custom-resource-definitions.js';
import { statusChanged, withCondition } from './crd-conditions.js';

/** How soon to look again while objects are still going (finalizers of their own). */
const RECHECK_MS = 1000;

export class CrdFinalizerController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly crds: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), (name, err) => log(`crd-finalizer ${name}: ${(err as Error).message}`), { name: 'crd_finalizer' });
    const enqueue = (crd: KubeObject) => {
      if (crd.metadata.deletionTimestamp) this.queue.add(crd.metadata.name!);
    };
    crds.addHandlers({ add: enqueue, update: (_old, crd) => enqueue(crd) });
  }

  async sync(name: string): Promise<void> {
    let crd = this.crds.get(name);
    if (!crd?.metadata.deletionTimestamp || !crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER)) return;
    const terminating = withCondition(crd.status, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
    if (statusChanged(terminating, crd.status)) crd = await this.write({ ...crd, status: terminating }, 'status');
    if (!crd) return;
    const storage = storageVersionOf(crd);
    const names = crd.status?.acceptedNames;
    const r = storage && names?.plural ? findServed(crd.spec.group, storage, names.plural) : undefined;
    if (r) {
      await this.client.deleteCollection(r, undefined, {});
      // What is still listed is on its way out (objects with finalizers of their own).
      if ((await this.client.list(r, undefined, { limit: 1 })).items.length > 0) {
        this.queue.addAfter(name, RECHECK_MS);
        return;
      }
    }
    const done = withCondition(crd.status, { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
    if (statusChanged(done, crd.status)) crd = await this.write({ ...crd, status: done }, 'status');
    if (!crd) return;
    await this.write({ ...crd, metadata: { ...crd.metadata, finalizers: crd.metadata.finalizers!.filter((f) => f !== CRD_CLEANUP_FINALIZER) } });
  }

  /** The definition written; undefined when it is already gone. */
  private async write(crd: KubeObject, subresource?: string): Promise<KubeObject | undefined> {
    try {
      return await this.client.update(this.crds.resource, undefined, crd, subresource ? { subresource } : {});
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }
}

// Kubernetes' ReplicaSet controller, which also runs ReplicationControllers (they differ only in
// what ReplicatedKind describes). sync(key) claims the pods the selector matches, creates or
// deletes pods until `replicas` are active (in slow-start batches, at most BURST per sync, never
// again before the informer has shown the previous creates and deletes), then writes the status.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder } from '../../../api/event-recorder.js';
import { createPodFor, deletePodOf } from '../pod-control.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { controllerOf } from '../controller-ref.js';
import { claimObjects } from '../controller-ref-manager.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { isPodActive, isPodReady, podsToDelete } from './active-pods.js';
import { Expectations } from './expectations.js';
import { podFromTemplate } from './pod-template.js';
import { calculateStatus, nextAvailableInMs, statusChanged } from './replica-status.js';
import type { ReplicatedKind } from './replicated-kind.js';
import { slowStartBatch } from './slow-start.js';

const PODS = findByKind('Pod')!;
/** Most pods created or deleted in one sync (Kubernetes' BurstReplicas). */
const BURST = 500;
/** Guards against clock skew when looking again after minReadySeconds, as Kubernetes adds a second. */
const SKEW_MS = 1000;

export class ReplicaSetController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  readonly expectations = new Expectations();

  constructor(
    private readonly client: ApiClient,
    private readonly kind: ReplicatedKind,
    private readonly owners: Informer,
    private readonly pods: Informer,
    log: (msg: string) => void,
  ) {
    this.recorder = new EventRecorder(client, { component: kind.component }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`${kind.kind.toLowerCase()} ${key}: ${(err as Error).message}`), {
      // Kubernetes' names: the ReplicationController manager is the same controller under another name.
      name: kind.kind === 'ReplicaSet' ? 'replicaset' : 'replicationmanager',
    });
    owners.addHandlers({
      add: (o) => this.queue.add(objectKey(o)),
      update: (_old, o) => this.queue.add(objectKey(o)),
      delete: (o) => {
        this.expectations.forget(objectKey(o));
        this.queue.add(objectKey(o));
      },
    });
    pods.addHandlers({ add: (p) => this.podAdded(p), update: (old, p) => this.podUpdated(old, p), delete: (p) => this.podDeleted(p) });
  }

  /** The owner a controller reference points to, if it is one of ours and still the same object. */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): KubeObject | undefined {
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.get(`${namespace}/${ref.name}`);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  /** Owners whose selector matches an orphan, so one of them may adopt it. */
  private enqueueMatching(pod: KubeObject): void {
    for (const owner of this.owners.list(pod.metadata.namespace)) {
      if (this.kind.selector(owner).matches(pod.metadata.labels)) this.queue.add(objectKey(owner));
    }
  }

  private podAdded(pod: KubeObject): void {
    // A pod already being deleted (seen first after a restart) is no creation anyone waits for.
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerOf(pod);
    if (!ref) return this.enqueueMatching(pod);
    const owner = this.resolve(pod.metadata.namespace, ref);
    if (!owner) return;
    this.expectations.creationObserved(objectKey(owner));
    this.queue.add(objectKey(owner));
  }

  private podUpdated(old: KubeObject, pod: KubeObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    // A graceful deletion counts as the deletion: replacements start now, not after the grace period.
    if (pod.metadata.deletionTimestamp) {
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const previous = this.resolve(old.metadata.namespace, oldRef);
      if (previous) this.queue.add(objectKey(previous));
    }
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      this.queue.add(objectKey(owner));
      // The pod turns available minReadySeconds after turning ready: look again then.
      const minReadySeconds = owner.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(owner), minReadySeconds * 1000 + SKEW_MS);
      return;
    }
    if (labelsChanged || refChanged) this.enqueueMatching(pod);
  }

  private podDeleted(pod: KubeObject): void {
    const owner = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (!owner) return;
    this.expectations.deletionObserved(objectKey(owner), objectKey(pod));
    this.queue.add(objectKey(owner));
  }

  async sync(key: string): Promise<void> {
    // Before the pod cache is filled every owner would look empty (WaitForCacheSync).
    await Promise.all([this.owners.hasSynced(), this.pods.hasSynced()]);
    const owner = this.owners.get(key);
    if (!owner) {
      this.expectations.forget(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selector(owner);
    // Every active pod of the namespace: those that stopped matching but still name us get released.
    const candidates = this.pods.list(owner.metadata.namespace).filter(isPodActive);
    let pods = await claimObjects(
      { client: this.client, resource: PODS, ownerResource: this.kind.resource },
      owner,
      (pod) => selector.matches(pod.metadata.labels),
      candidates,
    );
    let manageError: Error | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      const { error, deleted } = await this.manageReplicas(key, owner, pods);
      manageError = error;
      // Kubernetes counts the deleted pods until the informer shows them going; leaving them out
      // at once keeps availability honest for the Deployment controller reading this status.
      if (deleted.size) pods = pods.filter((p) => !deleted.has(objectKey(p)));
    }
    const now = Date.now();
    const status = calculateStatus(owner, pods, manageError, now);
    if (statusChanged(owner, status)) await this.writeStatus(owner, status);
    const recheck = nextAvailableInMs(owner, pods, now);
    if (!manageError && recheck !== undefined) this.queue.addAfter(key, recheck + SKEW_MS);
    if (manageError) throw manageError;
  }

  private async manageReplicas(key: string, owner: KubeObject, pods: KubeObject[]): Promise<{ error?: Error; deleted: Set<string> }> {
    const deleted = new Set<string>();
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST);
      this.expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, 1, () => this.createPod(owner));
      // The informer will never show the pods not created: stop waiting for them.
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      return { error: error as Error | undefined, deleted };
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST);
      const victims = podsToDelete(pods, this.relatedPods(owner), count, Date.now());
      this.expectations.expectDeletions(key, victims.map(objectKey));
      const errors: Error[] = [];
      await Promise.all(
        victims.map(async (pod) => {
          try {
            await this.deletePod(owner, pod);
            deleted.add(objectKey(pod));
          } catch (err) {
            this.expectations.deletionObserved(key, objectKey(pod));
            if (!(err instanceof ApiError && err.reason === 'NotFound')) errors.push(err as Error);
            else deleted.add(objectKey(pod));
          }
        }),
      );
      return { error: errors[0], deleted };
    }
    return { deleted };
  }

  /**
   * The pods of the owner's family (Kubernetes' getIndirectlyRelatedPods): those of every
   * controller of our kind with the same controlling owner (the ReplicaSets of one Deployment),
   * used to prefer deleting pods doubled up on a node.
   */
  private relatedPods(owner: KubeObject): KubeObject[] {
    const parent = controllerOf(owner);
    const family = new Set<string>([owner.metadata.uid!]);
    if (parent) {
      for (const sibling of this.owners.list(owner.metadata.namespace)) {
        if (controllerOf(sibling)?.uid === parent.uid) family.add(sibling.metadata.uid!);
      }
    }
    return this.pods.list(owner.metadata.namespace).filter((p) => family.has(controllerOf(p)?.uid ?? ''));
  }

  private async createPod(owner: KubeObject): Promise<void> {
    await createPodFor(this.client, this.recorder, owner, podFromTemplate(owner));
  }

  private async deletePod(owner: KubeObject, pod: KubeObject): Promise<void> {
    await deletePodOf(this.client, this.recorder, owner, pod);
  }


  /** Writes the status on the revision read: a conflict means a newer copy, whose event brings us back. */
  private async writeStatus(owner: KubeObject, status: object): Promise<void> {
    try {
      await this.client.update(this.kind.resource, owner.metadata.namespace, { ...owner, status }, { subresource: 'status' });
    } catch (err) {
      if (!(err instanceof ApiError && (err.reason === 'Conflict' || err.reason === 'NotFound'))) throw err;
    }
  }
}

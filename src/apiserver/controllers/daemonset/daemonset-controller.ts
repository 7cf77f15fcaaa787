// Kubernetes' DaemonSet controller: one pod on every node the DaemonSet's template fits (node
// selector, required node affinity, tolerated taints), placed by the scheduler through a node
// affinity on the node's name. Level-triggered from the DaemonSet, Pod, Node and
// ControllerRevision informers: sync(key) claims the pods, records the template's revision,
// creates and deletes pods (rolling old-template pods out under maxUnavailable or maxSurge), then writes the status.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder } from '../../../api/event-recorder.js';
import { createPodFor, deletePodOf } from '../pod-control.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { controllerOf } from '../controller-ref.js';
import { claimObjects } from '../controller-ref-manager.js';
import { computeHash } from '../deployment/pod-template-hash.js';
import { isPodReady } from '../replicaset/active-pods.js';
import { Expectations } from '../replicaset/expectations.js';
import { nextAvailableInMs } from '../replicaset/replica-status.js';
import { slowStartBatch } from '../replicaset/slow-start.js';
import { newDaemonPod } from './daemon-pod.js';
import { calculateStatus, statusChanged } from './daemonset-status.js';
import { mapNodes } from './node-pods.js';
import { maxRevision, newRevision, revisionName, revisionsToPrune } from './revision-history.js';
import { planSync } from './sync-plan.js';

const PODS = findByKind('Pod')!;
const DAEMON_SETS = findByKind('DaemonSet')!;
const REVISIONS = findByKind('ControllerRevision')!;
/** Most pods created or deleted in one sync (Kubernetes' BurstReplicas). */
const BURST = 250;
const SKEW_MS = 1000;

export class DaemonSetController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly expectations = new Expectations();

  constructor(
    private readonly client: ApiClient,
    private readonly daemonSets: Informer,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly revisions: Informer,
    log: (msg: string) => void,
  ) {
    this.recorder = new EventRecorder(client, { component: 'daemonset-controller' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`daemonset ${key}: ${(err as Error).message}`), { name: 'daemonset' });
    daemonSets.addHandlers({
      add: (o) => this.queue.add(objectKey(o)),
      update: (_old, o) => this.queue.add(objectKey(o)),
      delete: (o) => {
        this.expectations.forget(objectKey(o));
        this.queue.add(objectKey(o));
      },
    });
    pods.addHandlers({ add: (p) => this.podAdded(p), update: (old, p) => this.podUpdated(old, p), delete: (p) => this.podDeleted(p) });
    // Any node change (new, gone, labels, taints) may change where every DaemonSet runs.
    const allDaemonSets = () => {
      for (const ds of this.daemonSets.list()) this.queue.add(objectKey(ds));
    };
    nodes.addHandlers({
      add: allDaemonSets,
      update: (old, n) => {
        const relevant = (x: KubeObject) => JSON.stringify([x.metadata.labels, x.spec?.taints, x.spec?.unschedulable]);
        if (relevant(old) !== relevant(n)) allDaemonSets();
      },
      delete: allDaemonSets,
    });
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): KubeObject | undefined {
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.get(`${namespace}/${ref.name}`);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueMatching(pod: KubeObject): void {
    for (const ds of this.daemonSets.list(pod.metadata.namespace)) {
      if (labelSelectorAsSelector(ds.spec?.selector).matches(pod.metadata.labels)) this.queue.add(objectKey(ds));
    }
  }

  private podAdded(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerOf(pod);
    if (!ref) return this.enqueueMatching(pod);
    const ds = this.resolve(pod.metadata.namespace, ref);
    if (!ds) return;
    this.expectations.creationObserved(objectKey(ds));
    this.queue.add(objectKey(ds));
  }

  private podUpdated(old: KubeObject, pod: KubeObject): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const previous = this.resolve(old.metadata.namespace, oldRef);
      if (previous) this.queue.add(objectKey(previous));
    }
    if (!ref) return this.enqueueMatching(pod);
    const ds = this.resolve(pod.metadata.namespace, ref);
    if (!ds) return;
    this.queue.add(objectKey(ds));
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(ds), minReadySeconds * 1000 + SKEW_MS);
  }

  private podDeleted(pod: KubeObject): void {
    const ds = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (!ds) return;
    this.expectations.deletionObserved(objectKey(ds), objectKey(pod));
    this.queue.add(objectKey(ds));
  }

  async sync(key: string): Promise<void> {
    await Promise.all([this.daemonSets.hasSynced(), this.pods.hasSynced(), this.nodes.hasSynced(), this.revisions.hasSynced()]);
    const ds = this.daemonSets.get(key);
    if (!ds) {
      this.expectations.forget(key);
      return;
    }
    const selector = labelSelectorAsSelector(ds.spec?.selector);
    const candidates = this.pods.list(ds.metadata.namespace);
    const pods = await claimObjects({ client: this.client, resource: PODS, ownerResource: DAEMON_SETS }, ds, (p) => selector.matches(p.metadata.labels), candidates);
    // A DaemonSet being deleted keeps its pods for the garbage collector and changes nothing.
    if (ds.metadata.deletionTimestamp) return;
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
    await this.recordRevision(ds, hash, pods);
    const nodes = this.nodes.list();
    let map = mapNodes(ds, nodes, pods);
    let manageError: Error | undefined;
    if (this.expectations.satisfied(key)) {
      const now = Date.now();
      const plan = planSync(ds, map, hash, now);
      manageError = await this.apply(key, ds, plan.createOn.slice(0, BURST), plan.delete.slice(0, BURST), hash);
      const gone = new Set(plan.delete.map(objectKey));
      if (gone.size) map = mapNodes(ds, nodes, pods.filter((p) => !gone.has(objectKey(p))));
    }
    const now = Date.now();
    const status = calculateStatus(ds, map, hash, now);
    if (statusChanged(ds, status)) await this.writeStatus(ds, status);
    const recheck = nextAvailableInMs(ds, pods, now);
    if (!manageError && recheck !== undefined) this.queue.addAfter(key, recheck + SKEW_MS);
    if (manageError) throw manageError;
  }

  /** Creates (or, on a rollback to an old template, renumbers) the current revision, and prunes old ones. */
  private async recordRevision(ds: KubeObject, hash: string, pods: readonly KubeObject[]): Promise<void> {
    const owned = this.revisions.list(ds.metadata.namespace).filter((r) => controllerOf(r)?.uid === ds.metadata.uid);
    const name = revisionName(ds, hash);
    const current = owned.find((r) => r.metadata.name === name);
    const top = maxRevision(owned);
    try {
      if (!current) await this.client.create(REVISIONS, ds.metadata.namespace, newRevision(ds, hash, top + 1));
      else if ((Number(current.revision) || 0) < top) await this.client.patch(REVISIONS, ds.metadata.namespace, name, 'merge', { revision: top + 1 });
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
      // Someone else's revision has our name: bump collisionCount so the next hash differs.
      const other = await this.client.get(REVISIONS, ds.metadata.namespace, name);
      if (controllerOf(other)?.uid !== ds.metadata.uid) {
        await this.writeStatus(ds, { ...(ds.status ?? {}), collisionCount: (ds.status?.collisionCount ?? 0) + 1 });
        throw new Error(`found a ControllerRevision ${name} not owned by DaemonSet ${ds.metadata.name}: hash collision, retrying with a new collisionCount`);
      }
    }
    for (const r of revisionsToPrune(ds, owned, name, pods)) {
      await this.client.delete(REVISIONS, r.metadata.namespace, r.metadata.name!).catch((err) => {
        if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
      });
    }
  }

  private async apply(key: string, ds: KubeObject, createOn: readonly string[], victims: readonly KubeObject[], hash: string): Promise<Error | undefined> {
    const errors: Error[] = [];
    // Creations and deletions are expected together, as Kubernetes' syncNodes does.
    this.expectations.expect(key, createOn.length, victims.map(objectKey));
    const deletions = Promise.all(
      victims.map(async (pod) => {
        try {
          await this.deletePod(ds, pod);
        } catch (err) {
          this.expectations.deletionObserved(key, objectKey(pod));
          if (!(err instanceof ApiError && err.reason === 'NotFound')) errors.push(err as Error);
        }
      }),
    );
    let next = 0;
    const { successes, error } = await slowStartBatch(createOn.length, 1, () => this.createPod(ds, createOn[next++], hash));
    // The informer will never show the pods not created: stop waiting for them.
    for (let i = successes; i < createOn.length; i++) this.expectations.creationObserved(key);
    if (error) errors.push(error as Error);
    await deletions;
    return errors[0];
  }

  private async createPod(ds: KubeObject, nodeName: string, hash: string): Promise<void> {
    await createPodFor(this.client, this.recorder, ds, newDaemonPod(ds, nodeName, hash));
  }

  private async deletePod(ds: KubeObject, pod: KubeObject): Promise<void> {
    await deletePodOf(this.client, this.recorder, ds, pod);
  }

  private async writeStatus(ds: KubeObject, status: object): Promise<void> {
    try {
      await this.client.update(DAEMON_SETS, ds.metadata.namespace, { ...ds, status }, { subresource: 'status' });
    } catch (err) {
      if (!(err instanceof ApiError && (err.reason === 'Conflict' || err.reason === 'NotFound'))) throw err;
    }
  }
}

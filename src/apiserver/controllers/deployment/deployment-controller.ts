// Kubernetes' deployment controller: sync(key) claims the ReplicaSets the Deployment's selector
// matches, then, as syncDeployment does, only writes the status of a Deployment being deleted,
// scales a paused one or one whose size changed, and otherwise rolls out with its strategy.
// Handlers only enqueue Deployments: their own changes, their ReplicaSets' (and for Recreate,
// their pods' deletion, which the next step waits for).
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder } from '../../../api/event-recorder.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { controllerOf } from '../controller-ref.js';
import { claimObjects } from '../controller-ref-manager.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import type { Deployment, DeploymentContext, ReplicaSet } from './context.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync.js';

const DEPLOYMENTS = findByKind('Deployment')!;
const REPLICA_SETS = findByKind('ReplicaSet')!;

export class DeploymentController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly deployments: Informer,
    private readonly replicaSets: Informer,
    private readonly pods: Informer,
    log: (msg: string) => void,
  ) {
    this.recorder = new EventRecorder(client, { component: 'deployment-controller' }, log);
    // A conflict only means a newer copy is on its way, whose event syncs again: not worth a log line.
    const onError = (key: string, err: unknown) => {
      if (!(err instanceof ApiError && err.reason === 'Conflict')) log(`deployment ${key}: ${(err as Error).message}`);
    };
    this.queue = new WorkQueue((key) => this.sync(key), onError, { name: 'deployment' });
    const enqueue = (d: KubeObject) => this.queue.add(objectKey(d));
    deployments.addHandlers({ add: enqueue, update: (_old, d) => enqueue(d), delete: enqueue });
    replicaSets.addHandlers({
      add: (rs) => this.replicaSetChanged(undefined, rs),
      update: (old, rs) => this.replicaSetChanged(old, rs),
      delete: (rs) => this.enqueueOwner(rs.metadata.namespace, controllerOf(rs)),
    });
    pods.addHandlers({ delete: (pod) => this.podDeleted(pod) });
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): Deployment | undefined {
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private enqueueOwner(namespace: string | undefined, ref: OwnerReference | undefined): void {
    const d = this.resolve(namespace, ref);
    if (d) this.queue.add(objectKey(d));
  }

  private replicaSetChanged(old: ReplicaSet | undefined, rs: ReplicaSet): void {
    if (old?.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const ref = controllerOf(rs);
    const oldRef = old && controllerOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) this.enqueueOwner(old.metadata.namespace, oldRef);
    if (ref) return this.enqueueOwner(rs.metadata.namespace, ref);
    // An orphan: Deployments that match it may adopt it.
    const labelsChanged = !old || JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {});
    if (!labelsChanged && !oldRef) return;
    for (const d of this.deployments.list(rs.metadata.namespace)) {
      if (labelSelectorAsSelector(d.spec?.selector).matches(rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  /** A Recreate rollout waits for the old pods to be gone. */
  private podDeleted(pod: KubeObject): void {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolve(rs.metadata.namespace, controllerOf(rs));
    if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(objectKey(d));
  }

  private context(): DeploymentContext {
    return {
      client: this.client,
      recorder: this.recorder,
      now: Date.now,
      cachedReplicaSet: (ns, name) => this.replicaSets.get(`${ns}/${name}`),
      requeueAfter: (d, ms) => this.queue.addAfter(objectKey(d), ms),
    };
  }

  async sync(key: string): Promise<void> {
    // Before the caches are filled every Deployment would look like it has no ReplicaSets (WaitForCacheSync).
    await Promise.all([this.deployments.hasSynced(), this.replicaSets.hasSynced(), this.pods.hasSynced()]);
    const cached = this.deployments.get(key);
    if (!cached) return;
    const d: Deployment = structuredClone(cached);
    const selector = labelSelectorAsSelector(d.spec?.selector);
    const rsList = await claimObjects(
      { client: this.client, resource: REPLICA_SETS, ownerResource: DEPLOYMENTS },
      d,
      (rs) => selector.matches(rs.metadata.labels),
      this.replicaSets.list(d.metadata.namespace),
    );
    const ctx = this.context();
    if (d.metadata.deletionTimestamp) return syncStatusOnly(ctx, d, rsList);
    await checkPausedConditions(ctx, d);
    if (d.spec.paused || (await isScalingEvent(ctx, d, rsList))) return sync(ctx, d, rsList);
    if (d.spec.strategy?.type === 'Recreate') {
      const pods = this.pods.list(d.metadata.namespace).filter((p) => selector.matches(p.metadata.labels));
      return rolloutRecreate(ctx, d, rsList, pods);
    }
    return rolloutRolling(ctx, d, rsList);
  }
}

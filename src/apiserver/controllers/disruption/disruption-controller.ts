// Kubernetes' disruption controller: keeps each PodDisruptionBudget's status (healthy pods, the
// pods it needs, disruptions allowed, the evictions it still waits to see) from its pods and their
// controllers' scale, so the eviction subresource can decide from the status alone. Any change of
// a budget or of a pod it selects brings the budget back; a pending eviction that never deleted its
// pod is looked at again once it is overdue.
import type { ApiClient } from '../../../api/client.js';
import { budgetsForPod, DISRUPTION_ALLOWED, setCondition } from '../../../api/disruption-budget.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';
import { findByApiVersionKind, qualifiedPlural } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { budgetStatus, countHealthy, ExpectedCountError, expectedPodCount, pendingDisruptions, type ControllerScale } from './budget-status.js';

export interface ScaledControllers {
  replicationControllers: Informer;
  replicaSets: Informer;
  deployments: Informer;
  statefulSets: Informer;
}

function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

export class DisruptionController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly budgets: Informer,
    private readonly pods: Informer,
    private readonly controllers: ScaledControllers,
    log: (msg: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.recorder = new EventRecorder(client, { component: 'controllermanager' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`disruption ${key}: ${(err as Error).message}`), { name: 'disruption' });
    const enqueue = (pdb: KubeObject) => this.queue.add(objectKey(pdb));
    budgets.addHandlers({ add: enqueue, update: (_, pdb) => enqueue(pdb), delete: () => {} });
    const enqueueBudgetsOf = (pod: KubeObject) => budgetsForPod(budgets.list(pod.metadata.namespace), pod).forEach(enqueue);
    pods.addHandlers({
      add: enqueueBudgetsOf,
      update: (old, pod) => {
        enqueueBudgetsOf(pod);
        // A pod whose labels changed may have left a budget.
        if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels)) enqueueBudgetsOf(old);
      },
      delete: enqueueBudgetsOf,
    });
  }

  async sync(key: string): Promise<void> {
    await Promise.all([this.pods.hasSynced(), this.budgets.hasSynced(), ...Object.values(this.controllers).map((i: Informer) => i.hasSynced())]);
    const pdb = this.budgets.get(key);
    if (!pdb) return;
    try {
      await this.trySync(pdb);
    } catch (err) {
      if (err instanceof ApiError && (err.reason === 'Conflict' || err.reason === 'NotFound')) return;
      if (!(err instanceof ExpectedCountError)) throw err;
      await this.failSafe(pdb, err);
    }
  }

  private selectedPods(pdb: KubeObject): KubeObject[] {
    let selector;
    try {
      selector = labelSelectorAsSelector(pdb.spec?.selector);
    } catch {
      return [];
    }
    return this.pods.list(pdb.metadata.namespace).filter((p) => selector.matches(p.metadata.labels ?? {}));
  }

  private async trySync(pdb: KubeObject): Promise<void> {
    const pods = this.selectedPods(pdb);
    const ref = referenceTo(pdb);
    if (pods.length === 0) this.recorder.event(ref, 'Normal', 'NoPods', 'No matching pods found');
    let counts;
    try {
      counts = expectedPodCount(pdb, pods, (pod) => this.scaleOf(pod));
    } catch (err) {
      if (err instanceof ExpectedCountError) {
        this.recorder.event(ref, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${err.message}`);
      }
      throw err;
    }
    if (counts.unmanagedPods.length) {
      this.recorder.event(
        ref,
        'Warning',
        'UnmanagedPods',
        'Pods selected by this PodDisruptionBudget (selector: ' +
          JSON.stringify(pdb.spec?.selector ?? null) +
          ') were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
          'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }
    const now = this.now();
    const { disrupted, recheckAt } = pendingDisruptions(pdb, pods, now);
    const status = budgetStatus(pdb, { ...counts, currentHealthy: countHealthy(pods, disrupted), disrupted }, new Date(now));
    if (JSON.stringify(status) !== JSON.stringify(pdb.status ?? {})) {
      await this.client.update(this.budgets.resource, pdb.metadata.namespace, { ...pdb, status }, { subresource: 'status' });
    }
    if (recheckAt !== undefined) this.queue.addAfter(objectKey(pdb), Math.max(0, recheckAt - now));
  }

  /** When the budget cannot be computed, no disruption is allowed: the eviction handler must not approve one blindly. */
  private async failSafe(pdb: KubeObject, err: Error): Promise<void> {
    const status = { ...(pdb.status ?? {}), disruptionsAllowed: 0 };
    status.conditions = setCondition(
      status.conditions ?? [],
      { type: DISRUPTION_ALLOWED, status: 'False', reason: 'SyncFailed', message: err.message, observedGeneration: status.observedGeneration ?? 0 },
      new Date(this.now()),
    );
    if (JSON.stringify(status) === JSON.stringify(pdb.status ?? {})) return;
    await this.client.update(this.budgets.resource, pdb.metadata.namespace, { ...pdb, status }, { subresource: 'status' });
  }

  /**
   * The pod's controller and its wanted replicas, as the controller's finders look it up: a
   * ReplicaSet of a Deployment counts as the Deployment. Kinds without a scale fail the count.
   */
  private scaleOf(pod: KubeObject): ControllerScale {
    const ref = controllerOf(pod);
    if (!ref) return 'unmanaged';
    const ns = pod.metadata.namespace!;
    const group = groupOf(ref.apiVersion);
    const found = (informer: Informer, name: string, uid: string): KubeObject | undefined => {
      const obj = informer.get(`${ns}/${name}`);
      return obj?.metadata.uid === uid ? obj : undefined;
    };
    const scale = (obj: KubeObject | undefined): ControllerScale => (obj ? { uid: obj.metadata.uid!, replicas: obj.spec?.replicas ?? 1 } : undefined);
    if (ref.kind === 'ReplicationController' && group === '') return scale(found(this.controllers.replicationControllers, ref.name, ref.uid));
    if (ref.kind === 'StatefulSet' && group === 'apps') return scale(found(this.controllers.statefulSets, ref.name, ref.uid));
    if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
      const rs = found(this.controllers.replicaSets, ref.name, ref.uid);
      if (!rs) return undefined;
      const owner = controllerOf(rs);
      if (owner?.kind !== 'Deployment') return scale(rs);
      return scale(found(this.controllers.deployments, owner.name, owner.uid));
    }
    const r = findByApiVersionKind(ref.apiVersion, ref.kind);
    if (!r) throw new ExpectedCountError(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    throw new ExpectedCountError(`${qualifiedPlural(r)} does not implement the scale subresource`);
  }
}

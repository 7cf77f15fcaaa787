// Kubernetes' StatefulSet controller. sync(key) claims the pods the selector matches and whose
// names are the set's, keeps a ControllerRevision of the template (the update revision), carries
// out the plan of one sync (plan.ts: create in order with their claims first, delete from the
// highest ordinal, roll updates down to the partition), trims the history and writes the status.
// Pods have fixed names, so a create the informer has not shown yet fails with AlreadyExists and
// a repeated delete with NotFound: both are harmless, no expectations needed.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder } from '../../../api/event-recorder.js';
import { recordWrite } from '../pod-control.js';
import { findByKind } from '../../../api/resources.js';
import { revisionTemplate } from '../../../api/controller-revisions.js';
import type { KubeObject } from '../../../api/types.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { controllerOf } from '../controller-ref.js';
import { claimObjects } from '../controller-ref-manager.js';
import { nextAvailableInMs } from '../replicaset/replica-status.js';
import { newClaims, newPod, ordinalOf, ownerReference, revisionOf } from './identity.js';
import { planSync, type Action } from './plan.js';
import { newRevision, nextRevisionNumber, revisionsToTrim, sameData, sortRevisions } from './revisions.js';
import { calculateStatus, statusChanged } from './statefulset-status.js';

const PODS = findByKind('Pod')!;
const CLAIMS = findByKind('PersistentVolumeClaim')!;
const SETS = findByKind('StatefulSet')!;
const REVISIONS = findByKind('ControllerRevision')!;
/** Guards against clock skew when looking again after minReadySeconds. */
const SKEW_MS = 1000;

function isReason(err: unknown, reason: string): boolean {
  return err instanceof ApiError && err.reason === reason;
}

export class StatefulSetController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly sets: Informer,
    private readonly pods: Informer,
    private readonly revisions: Informer,
    private readonly claims: Informer,
    log: (msg: string) => void,
  ) {
    this.recorder = new EventRecorder(client, { component: 'statefulset-controller' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`statefulset ${key}: ${(err as Error).message}`), { name: 'statefulset' });
    sets.addHandlers({ add: (s) => this.queue.add(objectKey(s)), update: (_old, s) => this.queue.add(objectKey(s)), delete: (s) => this.queue.add(objectKey(s)) });
    const onOwned = (obj: KubeObject) => this.enqueueOwner(obj);
    pods.addHandlers({ add: onOwned, update: (old, p) => (this.enqueueOwner(old), onOwned(p)), delete: onOwned });
    revisions.addHandlers({ add: onOwned, update: (_old, r) => onOwned(r), delete: onOwned });
  }

  /** The set controlling `obj`; an orphan pod brings every set whose selector matches it, to adopt it. */
  private enqueueOwner(obj: KubeObject): void {
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.kind !== 'StatefulSet') return;
      const set = this.sets.get(`${obj.metadata.namespace}/${ref.name}`);
      if (set?.metadata.uid === ref.uid) this.queue.add(objectKey(set));
      return;
    }
    if (obj.kind !== 'Pod' && obj.metadata.labels?.['controller-revision-hash'] === undefined) return;
    for (const set of this.sets.list(obj.metadata.namespace)) {
      if (labelSelectorAsSelector(set.spec?.selector).matches(obj.metadata.labels)) this.queue.add(objectKey(set));
    }
  }

  async sync(key: string): Promise<void> {
    await Promise.all([this.sets.hasSynced(), this.pods.hasSynced(), this.revisions.hasSynced(), this.claims.hasSynced()]);
    const set = this.sets.get(key);
    // A set being deleted is left to the garbage collector, as Kubernetes does.
    if (!set || set.metadata.deletionTimestamp) return;
    const selector = labelSelectorAsSelector(set.spec?.selector);
    const pods = await claimObjects(
      { client: this.client, resource: PODS, ownerResource: SETS },
      set,
      (pod) => selector.matches(pod.metadata.labels) && ordinalOf(set, pod) !== undefined,
      this.pods.list(set.metadata.namespace),
    );
    const { current, update, history, collisionCount } = await this.syncRevisions(set);
    const now = Date.now();
    const errors: unknown[] = [];
    for (const action of planSync(set, pods, update.metadata.name!, now)) {
      try {
        await this.act(set, action, action.type === 'create' && action.revision === 'current' ? current : update);
      } catch (err) {
        errors.push(err);
      }
    }
    const status = calculateStatus(set, pods, current.metadata.name!, update.metadata.name!, collisionCount, now);
    if (statusChanged(set, status)) await this.writeStatus(set, status);
    await this.trimHistory(set, history, pods, status.currentRevision, status.updateRevision);
    const recheck = nextAvailableInMs(set, pods, now);
    if (recheck !== undefined) this.queue.addAfter(key, recheck + SKEW_MS);
    if (errors.length) throw errors[0];
  }

  /**
   * The update revision (the template now, created if new, renumbered if an older revision is
   * reused) and the current one (status.currentRevision, else the update revision). A namesake
   * with other data means a hash collision: collisionCount goes up and the next sync hashes anew.
   */
  private async syncRevisions(set: KubeObject): Promise<{ current: KubeObject; update: KubeObject; history: KubeObject[]; collisionCount: number }> {
    const history = sortRevisions(this.revisions.list(set.metadata.namespace).filter((r) => controllerOf(r)?.uid === set.metadata.uid));
    let collisionCount = set.status?.collisionCount ?? 0;
    const next = nextRevisionNumber(history);
    const candidate = newRevision(set, next, collisionCount);
    const equal = history.filter((r) => sameData(r, candidate));
    let update = equal.at(-1);
    if (update && update !== history.at(-1)) {
      update = await this.client.update(REVISIONS, set.metadata.namespace, { ...update, revision: next });
    } else if (!update) {
      try {
        update = await this.client.create(REVISIONS, set.metadata.namespace, candidate);
      } catch (err) {
        if (!isReason(err, 'AlreadyExists')) throw err;
        const existing = await this.client.get(REVISIONS, set.metadata.namespace, candidate.metadata.name!);
        if (!sameData(existing, candidate) || controllerOf(existing)?.uid !== set.metadata.uid) {
          collisionCount++;
          await this.writeStatus(set, { ...set.status, collisionCount });
          throw new Error(`controller revision ${candidate.metadata.name} exists with other data: hash collision, collisionCount now ${collisionCount}`);
        }
        update = existing;
      }
      history.push(update);
    }
    const current = history.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, history, collisionCount };
  }

  private async act(set: KubeObject, action: Action, revision: KubeObject): Promise<void> {
    if (action.type === 'create') {
      await this.createClaims(set, action.ordinal);
      const pod = newPod(set, revisionTemplate(revision), action.ordinal, revision.metadata.name!);
      await this.record(set, 'create', `Pod ${pod.metadata.name}`, () => this.client.create(PODS, set.metadata.namespace, pod), 'AlreadyExists');
      return;
    }
    const pod = action.pod;
    if (action.reason === 'condemned' && set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') await this.handClaimsToPod(set, pod);
    await this.record(set, 'delete', `Pod ${pod.metadata.name}`, () => this.client.delete(PODS, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }), 'NotFound');
  }

  /** Creates the pod's claims the cache does not show; those kept from before are reused as they are. */
  private async createClaims(set: KubeObject, ordinal: number): Promise<void> {
    for (const claim of newClaims(set, ordinal)) {
      if (this.claims.get(objectKey(claim))) continue;
      await this.record(set, 'create', `Claim ${claim.metadata.name} Pod ${set.metadata.name}-${ordinal}`, () => this.client.create(CLAIMS, set.metadata.namespace, claim), 'AlreadyExists');
    }
  }

  /** whenScaled: Delete: the condemned pod becomes the owner of its claims, which go with it. */
  private async handClaimsToPod(set: KubeObject, pod: KubeObject): Promise<void> {
    const ordinal = ordinalOf(set, pod)!;
    for (const wanted of newClaims(set, ordinal)) {
      const claim = this.claims.get(objectKey(wanted));
      if (!claim || claim.metadata.ownerReferences?.some((r) => r.uid === pod.metadata.uid)) continue;
      const ownerReferences = [...(claim.metadata.ownerReferences ?? []), ownerReference(pod)];
      await this.client.update(CLAIMS, claim.metadata.namespace, { ...claim, metadata: { ...claim.metadata, ownerReferences } });
    }
  }

  /** A write with StatefulPodControl's event; `harmless` is the reason a stale cache explains (no event, no error). */
  private async record(set: KubeObject, verb: 'create' | 'delete', what: string, write: () => Promise<unknown>, harmless: string): Promise<void> {
    const texts = {
      succeeded: () => `${verb} ${what} in StatefulSet ${set.metadata.name} successful`,
      failed: (err: Error) => `${verb} ${what} in StatefulSet ${set.metadata.name} failed error: ${err.message}`,
    };
    try {
      await recordWrite(this.recorder, set, verb, write, texts, harmless);
    } catch (err) {
      if (!isReason(err, harmless)) throw err;
    }
  }

  private async trimHistory(set: KubeObject, history: KubeObject[], pods: KubeObject[], currentRevision: string, updateRevision: string): Promise<void> {
    const live = new Set([currentRevision, updateRevision, ...pods.map((p) => revisionOf(p) ?? '')]);
    for (const revision of revisionsToTrim(set, history, live)) {
      try {
        await this.client.delete(REVISIONS, revision.metadata.namespace, revision.metadata.name!, { preconditions: { uid: revision.metadata.uid } });
      } catch (err) {
        if (!isReason(err, 'NotFound')) throw err;
      }
    }
  }

  /** Writes the status on the revision read: a conflict means a newer copy, whose event brings us back. */
  private async writeStatus(set: KubeObject, status: object): Promise<void> {
    try {
      await this.client.update(SETS, set.metadata.namespace, { ...set, status }, { subresource: 'status' });
    } catch (err) {
      if (!isReason(err, 'Conflict') && !isReason(err, 'NotFound')) throw err;
    }
  }
}

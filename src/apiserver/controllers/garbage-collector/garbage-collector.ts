// The garbage collector: follows ownerReferences as Kubernetes' does.
// - An object whose owners are all gone is deleted (background propagation).
// - An owner being deleted with the `orphan` finalizer: its dependents lose the ownerReference,
//   then the finalizer is removed.
// - An owner being deleted with `foregroundDeletion`: its dependents are deleted (foreground too),
//   and once none that blocks owner deletion is left, the finalizer is removed.
// Level-triggered: sync(key) looks at one object and its dependents as the informers see them now.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { RESOURCES, findByApiVersionKind, type ResourceType } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import type { Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
/** How soon to look again while foreground dependents are still going. */
const RECHECK_MS = 1000;

/**
 * Kinds the collector neither watches nor deletes: Events, as Kubernetes' DefaultIgnoredResources
 * (the most numerous objects, and never owners; a cache of them would cost memory for nothing).
 */
const IGNORED_RESOURCES = new Set(['/events']);

interface Node {
  r: ResourceType;
  obj: KubeObject;
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
}

export class GarbageCollector {
  readonly queue: WorkQueue;
  /** uid -> the object with that uid, across every informer. */
  private readonly byUid = new Map<string, Node>();
  /** owner uid -> uids of its dependents. */
  private readonly dependents = new Map<string, Set<string>>();

  constructor(
    private readonly client: ApiClient,
    informerFor: (r: ResourceType) => Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((uid) => this.sync(uid), (uid, err) => log(`garbage collector ${uid}: ${(err as Error).message}`), { name: 'garbage_collector_attempt_to_delete' });
    for (const r of RESOURCES) {
      if (IGNORED_RESOURCES.has(`${r.group}/${r.plural}`)) continue;
      informerFor(r).addHandlers({
        add: (obj) => this.observe(r, obj),
        update: (old, obj) => {
          this.forget(old);
          this.observe(r, obj);
        },
        delete: (obj) => {
          this.forget(obj);
          // Dependents of a vanished owner may now be orphans.
          for (const dep of this.dependents.get(obj.metadata.uid!) ?? []) this.queue.add(dep);
        },
      });
    }
  }

  private observe(r: ResourceType, obj: KubeObject): void {
    const uid = obj.metadata.uid!;
    this.byUid.set(uid, { r, obj });
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
      // An owner waiting for its dependents looks again when one changes.
      if (this.byUid.get(ref.uid)?.obj.metadata.deletionTimestamp) this.queue.add(ref.uid);
    }
    if (obj.metadata.ownerReferences?.length || obj.metadata.finalizers?.some((f) => f === ORPHAN || f === FOREGROUND)) this.queue.add(uid);
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata.uid!;
    this.byUid.delete(uid);
    for (const ref of obj.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(uid);
  }

  private dependentsOf(uid: string): Node[] {
    return [...(this.dependents.get(uid) ?? [])].map((d) => this.byUid.get(d)).filter((n): n is Node => !!n);
  }

  async sync(uid: string): Promise<void> {
    const node = this.byUid.get(uid);
    if (!node) return;
    const { r, obj } = node;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.includes(ORPHAN)) return this.orphanDependents(node);
    if (obj.metadata.deletionTimestamp && finalizers.includes(FOREGROUND)) return this.deleteDependentsFirst(node);
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0 || obj.metadata.deletionTimestamp) return;
    for (const ref of refs) if (!(await this.ownerGone(ref, obj.metadata.namespace))) return;
    try {
      await this.client.delete(r, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid } });
    } catch (err) {
      ignoreNotFound(err);
    }
  }

  /** Gone for good: asked of the API, not the cache, which may lag behind a new owner. */
  private async ownerGone(ref: OwnerReference, namespace: string | undefined): Promise<boolean> {
    if (this.byUid.has(ref.uid)) return false;
    const r = findByApiVersionKind(ref.apiVersion, ref.kind);
    // An owner of a kind this cluster does not serve can never appear: the reference is dangling.
    if (!r) return true;
    try {
      return (await this.client.get(r, r.namespaced ? namespace : undefined, ref.name)).metadata.uid !== ref.uid;
    } catch (err) {
      ignoreNotFound(err);
      return true;
    }
  }

  private async orphanDependents({ r, obj }: Node): Promise<void> {
    const uid = obj.metadata.uid!;
    for (const dep of this.dependentsOf(uid)) {
      const refs = (dep.obj.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
      try {
        await this.client.patch(dep.r, dep.obj.metadata.namespace, dep.obj.metadata.name!, 'merge', {
          metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: dep.obj.metadata.resourceVersion },
        });
      } catch (err) {
        ignoreNotFound(err);
      }
    }
    await this.removeFinalizer(r, obj, ORPHAN);
  }

  private async deleteDependentsFirst({ r, obj }: Node): Promise<void> {
    const blocking = this.dependentsOf(obj.metadata.uid!).filter((d) =>
      d.obj.metadata.ownerReferences?.some((ref) => ref.uid === obj.metadata.uid && ref.blockOwnerDeletion),
    );
    for (const dep of this.dependentsOf(obj.metadata.uid!)) {
      if (dep.obj.metadata.deletionTimestamp) continue;
      try {
        await this.client.delete(dep.r, dep.obj.metadata.namespace, dep.obj.metadata.name!, { propagationPolicy: 'Foreground' });
      } catch (err) {
        ignoreNotFound(err);
      }
    }
    if (blocking.length > 0) {
      this.queue.addAfter(obj.metadata.uid!, RECHECK_MS);
      return;
    }
    await this.removeFinalizer(r, obj, FOREGROUND);
  }

  private async removeFinalizer(r: ResourceType, obj: KubeObject, finalizer: string): Promise<void> {
    const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.client.patch(r, obj.metadata.namespace, obj.metadata.name!, 'merge', {
        metadata: { finalizers: rest.length ? rest : null, resourceVersion: obj.metadata.resourceVersion },
      });
    } catch (err) {
      ignoreNotFound(err);
    }
  }
}

// Kubernetes' resource quota controller: each ResourceQuota's status.hard follows its spec.hard and
// status.used is recounted from what the namespace holds, whenever the quota or an object of a
// kind it limits changes. It counts from the API (not the caches) and writes with the quota's
// resourceVersion, so a charge the admission plugin made meanwhile makes the write conflict and
// the count run again, instead of being overwritten with a stale figure. Every quota is also
// recounted every five minutes (kube-controller-manager's --resource-quota-sync-period): a pod past
// its deletion grace period stops being charged with no change anyone could hear.
import type { ApiClient } from '../../../api/client.js';
import { Informer, objectKey } from '../../../api/informer.js';
import { isStorageVersion, onServedResourcesChange, RESOURCES, servedResources, type ResourceType } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { isQuotaIgnored, matchingResources, scopesSelect, usage } from '../../quota/evaluators.js';
import { add, formatResourceList, mask, parseResourceList, type ResourceList } from '../../quota/resource-list.js';
import { Quantity } from '../../../api/quantity.js';

/** The quota's status from the objects of each limited kind (CalculateUsage): every hard resource, zero when nothing uses it. */
export function quotaStatus(quota: KubeObject, objectsOf: Map<ResourceType, KubeObject[]>, now: number): { hard: Record<string, string>; used: Record<string, string> } {
  const hard = parseResourceList(quota.spec?.hard);
  let used: ResourceList = new Map([...hard.keys()].map((name) => [name, Quantity.ZERO]));
  for (const [r, objects] of objectsOf) {
    const names = matchingResources(r, [...hard.keys()]);
    for (const obj of objects) if (scopesSelect(quota, r, obj)) used = add(used, mask(usage(r, obj, now), names));
  }
  return { hard: formatResourceList(hard), used: formatResourceList(used) };
}

/** Namespaced kinds a quota can count; a kind served in several versions once, in its storage version. */
function counted(r: ResourceType): boolean {
  return r.namespaced && !isQuotaIgnored(r) && isStorageVersion(r);
}

/** kube-controller-manager's default --resource-quota-sync-period. */
const RESYNC_PERIOD_MS = 5 * 60_000;

export class ResourceQuotaController {
  readonly queue: WorkQueue;
  private readonly resync: NodeJS.Timeout;
  /** Metadata informers of the custom kinds some quota counts, by group/plural, while they are served. */
  private readonly customChanges = new Map<string, Informer>();
  private readonly stopFollowingCatalogue: () => void;

  constructor(
    private readonly client: ApiClient,
    private readonly quotas: Informer,
    /** Any informer of a kind, only to hear that something changed (the shared metadata ones). */
    changesOf: (r: ResourceType) => Informer,
    private readonly log: (msg: string) => void,
    private readonly now: () => number = () => Date.now(),
    resyncPeriodMs = RESYNC_PERIOD_MS,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`resourcequota ${key}: ${(err as Error).message}`), { name: 'resourcequota_primary' });
    quotas.addHandlers({ add: (q) => this.enqueue(q), update: (_, q) => this.enqueue(q) });
    for (const r of RESOURCES.filter(counted)) this.replenishOnChanges(r, changesOf(r));
    // Custom kinds come and go with their definitions: each is listened to from the first sync of
    // a quota that counts it until its definition stops serving it.
    this.stopFollowingCatalogue = onServedResourcesChange(() => this.forgetUnservedKinds());
    this.resync = setInterval(() => {
      for (const quota of this.quotas.list()) this.enqueue(quota);
    }, resyncPeriodMs).unref();
  }

  stop(): void {
    clearInterval(this.resync);
    this.stopFollowingCatalogue();
    for (const inf of this.customChanges.values()) inf.stop();
    this.customChanges.clear();
    this.queue.stop();
  }

  private enqueue(quota: KubeObject): void {
    this.queue.add(objectKey(quota));
  }

  /** Any change of an object of r brings back the quotas of its namespace that count r. */
  private replenishOnChanges(r: ResourceType, changes: Informer): void {
    const replenish = (obj: KubeObject) => {
      for (const quota of this.quotas.list(obj.metadata.namespace)) if (matchingResources(r, Object.keys(quota.spec?.hard ?? {})).length) this.enqueue(quota);
    };
    changes.addHandlers({ add: replenish, update: (_, obj) => replenish(obj), delete: replenish });
  }

  private listenToCustomKind(r: ResourceType): void {
    const key = `${r.group}/${r.plural}`;
    if (this.customChanges.has(key)) return;
    const inf = new Informer(this.client, r, this.log, { metadataOnly: true });
    this.customChanges.set(key, inf);
    this.replenishOnChanges(r, inf);
    inf.start();
  }

  private forgetUnservedKinds(): void {
    const served = new Set(servedResources().filter(counted).map((r) => `${r.group}/${r.plural}`));
    for (const [key, inf] of this.customChanges) {
      if (served.has(key)) continue;
      inf.stop();
      this.customChanges.delete(key);
    }
  }

  async sync(key: string): Promise<void> {
    const cached = this.quotas.get(key);
    if (!cached) return;
    const { namespace, name } = cached.metadata;
    // The stored quota, not the cache: its resourceVersion guards the write against charges made meanwhile.
    let quota: KubeObject;
    try {
      quota = await this.client.get(this.quotas.resource, namespace, name!);
    } catch {
      return;
    }
    const hardNames = Object.keys(quota.spec?.hard ?? {});
    const objectsOf = new Map<ResourceType, KubeObject[]>();
    for (const r of servedResources().filter(counted)) {
      if (matchingResources(r, hardNames).length === 0) continue;
      if (r.custom) this.listenToCustomKind(r);
      objectsOf.set(r, (await this.client.list(r, namespace)).items);
    }
    const status = quotaStatus(quota, objectsOf, this.now());
    const current = { hard: formatResourceList(parseResourceList(quota.status?.hard)), used: formatResourceList(parseResourceList(quota.status?.used)) };
    if (quota.status?.hard && quota.status?.used && JSON.stringify(current) === JSON.stringify(status)) return;
    // A conflict throws: the queue runs the count again.
    await this.client.update(this.quotas.resource, namespace, { ...quota, status }, { subresource: 'status' });
  }
}

// Kubernetes' resource quota controller: each ResourceQuota's status.hard follows its spec.hard and
// status.used is recounted from what the namespace holds, whenever the quota or an object of a
// kind it limits changes. It counts from the API (not the caches) and writes with the quota's
// resourceVersion, so a charge the admission plugin made meanwhile makes the write conflict and
// the count run again, instead of being overwritten with a stale figure.
import type { ApiClient } from '../../../api/client.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { RESOURCES, servedResources, type ResourceType } from '../../../api/resources.js';
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

/** Namespaced kinds a quota can count; a custom kind once, in its storage version. */
function counted(r: ResourceType): boolean {
  return r.namespaced && !isQuotaIgnored(r) && (!r.custom || r.custom.storageVersion === r.version);
}

export class ResourceQuotaController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly quotas: Informer,
    /** Any informer of a kind, only to hear that something changed (the shared metadata ones). */
    changesOf: (r: ResourceType) => Informer,
    log: (msg: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`resourcequota ${key}: ${(err as Error).message}`), { name: 'resourcequota_primary' });
    const enqueue = (quota: KubeObject) => this.queue.add(objectKey(quota));
    quotas.addHandlers({ add: enqueue, update: (_, q) => enqueue(q) });
    // Custom kinds come and go with their definitions: they are counted at each sync but not
    // listened to, so a custom object's deletion shows at the quota's next recount.
    for (const r of RESOURCES.filter(counted)) {
      const replenish = (obj: KubeObject) => {
        for (const quota of quotas.list(obj.metadata.namespace)) if (matchingResources(r, Object.keys(quota.spec?.hard ?? {})).length) enqueue(quota);
      };
      changesOf(r).addHandlers({ add: replenish, update: (_, obj) => replenish(obj), delete: replenish });
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
      if (matchingResources(r, hardNames).length) objectsOf.set(r, (await this.client.list(r, namespace)).items);
    }
    const status = quotaStatus(quota, objectsOf, this.now());
    const current = { hard: formatResourceList(parseResourceList(quota.status?.hard)), used: formatResourceList(parseResourceList(quota.status?.used)) };
    if (quota.status?.hard && quota.status?.used && JSON.stringify(current) === JSON.stringify(status)) return;
    // A conflict throws: the queue runs the count again.
    await this.client.update(this.quotas.resource, namespace, { ...quota, status }, { subresource: 'status' });
  }
}

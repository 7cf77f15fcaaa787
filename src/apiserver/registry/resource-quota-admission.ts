// Kubernetes' ResourceQuota admission plugin, on create (and on update of the kinds whose charge
// can grow: a Service's node ports and load balancer, a claim's storage): every quota of the
// namespace that limits something the object is charged (and whose scopes select it) must have
// room for what it adds, or the write is refused with Kubernetes' 403; pods must state the compute
// resources a quota limits.
// What passes is charged to the quotas' status.used in the same synchronous step that stores the
// object (the registry writes the charges), so two creates racing for the last unit cannot both
// pass; the quota controller later recomputes used from what is really there.
import { ApiError } from '../../api/errors.js';
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isQuotaIgnored, matchingResources, missingComputeResources, quotaMatches, usage } from '../quota/evaluators.js';
import { add, exceeded, formatResourceList, mask, parseResourceList, prettyPrint, removeZeros, subtractNonNegative } from '../quota/resource-list.js';

/** A quota's status.used once the new object is charged. */
export interface QuotaCharge {
  quota: KubeObject;
  used: Record<string, string>;
}

function forbidden(r: ResourceType, obj: KubeObject, why: string): ApiError {
  const resource = r.group ? `${r.plural}.${r.group}` : r.plural;
  const name = obj.metadata.name ?? '';
  return new ApiError('Forbidden', `${resource} "${name}" is forbidden: ${why}`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural });
}

/** Updates the evaluators handle (the others never change what an object is charged). */
export function chargedOnUpdate(r: ResourceType): boolean {
  return r.group === '' && (r.plural === 'services' || r.plural === 'persistentvolumeclaims');
}

/**
 * Checks the object against the namespace's quotas; returns what to charge, or throws the 403. On
 * an update (old given) only what the object's charge grows by counts.
 */
export function admitResourceQuota(r: ResourceType, obj: KubeObject, quotas: KubeObject[], now: number, old?: KubeObject): QuotaCharge[] {
  if (isQuotaIgnored(r) || (old && !chargedOnUpdate(r))) return [];
  const interesting: KubeObject[] = [];
  for (const quota of quotas) {
    if (!quotaMatches(quota, r, obj)) continue;
    const hard = Object.keys(quota.status?.hard ?? {});
    const limited = matchingResources(r, hard);
    const missing = missingComputeResources(r, obj, limited);
    if (missing) throw forbidden(r, obj, `failed quota: ${quota.metadata.name}: ${missing}`);
    const used = quota.status?.used ?? {};
    if (limited.some((name) => !(name in used))) throw forbidden(r, obj, `status unknown for quota: ${quota.metadata.name}, resources: ${[...limited].sort().join(',')}`);
    interesting.push(quota);
  }
  if (interesting.length === 0) return [];
  const charged = usage(r, obj, now);
  const delta = removeZeros(old ? subtractNonNegative(charged, usage(r, old, now)) : charged);
  if (delta.size === 0) return [];
  const charges: QuotaCharge[] = [];
  for (const quota of interesting) {
    const hard = parseResourceList(quota.status.hard);
    const used = parseResourceList(quota.status.used);
    const requested = mask(delta, hard.keys());
    const newUsed = add(used, requested);
    const over = exceeded(mask(newUsed, requested.keys()), hard);
    if (over.length) {
      throw forbidden(
        r,
        obj,
        `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(mask(requested, over))}, used: ${prettyPrint(mask(used, over))}, limited: ${prettyPrint(mask(hard, over))}`,
      );
    }
    if (requested.size) charges.push({ quota, used: formatResourceList(newUsed) });
  }
  return charges;
}

// Kubernetes' LimitRanger admission plugin. Mutating, on pod create: every container without a
// request or limit of a resource gets the namespace's Container defaults (defaultRequest, default),
// noted in the kubernetes.io/limit-ranger annotation. Validating, on pod and claim create: the
// Container, Pod and PersistentVolumeClaim min, max and maxLimitRequestRatio hold, or the create
// is refused with Kubernetes' 403 and its messages.
import { ApiError } from '../../api/errors.js';
import { Quantity } from '../../api/quantity.js';
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';

const ANNOTATION = 'kubernetes.io/limit-ranger';

type Amounts = Record<string, string | number>;

interface LimitItem {
  type?: string;
  min?: Amounts;
  max?: Amounts;
  default?: Amounts;
  defaultRequest?: Amounts;
  maxLimitRequestRatio?: Amounts;
}

function itemsOf(limitRanges: KubeObject[], type: string): LimitItem[] {
  return limitRanges.flatMap((lr) => ((lr.spec?.limits as LimitItem[] | undefined) ?? []).filter((item) => item.type === type));
}

function quantity(value: string | number | undefined): Quantity | undefined {
  return value === undefined ? undefined : Quantity.parse(value);
}

function sortedEntries(amounts: Amounts | undefined): [string, Quantity][] {
  return Object.keys(amounts ?? {})
    .sort()
    .flatMap((name) => {
      const q = quantity(amounts![name]);
      return q ? [[name, q] as [string, Quantity]] : [];
    });
}

/** mergeContainerResources: what the container lacks, from the defaults; the annotation's phrases for it. */
function defaultContainer(container: any, what: string, requests: Amounts, limits: Amounts): string[] {
  const resources = (container.resources ??= {});
  const setLimits = Object.keys(limits).filter((name) => resources.limits?.[name] === undefined);
  const setRequests = Object.keys(requests).filter((name) => resources.requests?.[name] === undefined);
  for (const name of setLimits) (resources.limits ??= {})[name] = limits[name];
  for (const name of setRequests) (resources.requests ??= {})[name] = requests[name];
  const notes: string[] = [];
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${what} ${container.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${what} ${container.name}`);
  return notes;
}

/** The plugin's mutation of a pod being created (PodMutateLimitFunc), for each LimitRange in turn. */
export function applyLimitRangeDefaults(pod: KubeObject, limitRanges: KubeObject[]): void {
  for (const lr of limitRanges) {
    const requests: Amounts = {};
    const limits: Amounts = {};
    for (const item of itemsOf([lr], 'Container')) {
      Object.assign(requests, item.defaultRequest ?? {});
      Object.assign(limits, item.default ?? {});
    }
    if (Object.keys(requests).length + Object.keys(limits).length === 0) continue;
    const notes = [
      ...(pod.spec?.containers ?? []).flatMap((c: any) => defaultContainer(c, 'container', requests, limits)),
      ...(pod.spec?.initContainers ?? []).flatMap((c: any) => defaultContainer(c, 'init container', requests, limits)),
    ];
    if (notes.length) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
}

function minConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string | undefined {
  const request = requests.get(name);
  const limit = limits.get(name);
  if (!request) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (request.cmp(enforced) < 0) return `minimum ${name} usage per ${type} is ${enforced}, but request is ${request}`;
  if (limit && limit.cmp(enforced) < 0) return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${limit}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string | undefined {
  const request = requests.get(name);
  const limit = limits.get(name);
  if (!limit) return `maximum ${name} usage per ${type} is ${enforced}.  No limit is specified`;
  if (limit.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${limit}`;
  if (request && request.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${request}`;
  return undefined;
}

/** A claim's max counts against what it requests, having no limits (maxRequestConstraint). */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>): string | undefined {
  const request = requests.get(name);
  if (!request) return `maximum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (request.cmp(enforced) > 0) return `maximum ${name} usage per ${type} is ${enforced}, but request is ${request}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string | undefined {
  const request = requests.get(name);
  const limit = limits.get(name);
  if (!request || request.isZero()) return `${name} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (!limit || limit.isZero()) return `${name} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  const ratio = Number(limit.milliValue()) / Number(request.milliValue());
  if (ratio * 1000 > Number(enforced.milliValue())) return `${name} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function amounts(list: Amounts | undefined): Map<string, Quantity> {
  return new Map(sortedEntries(list));
}

/** resourcehelper.PodRequests/PodLimits: the containers' sum, or the largest init container when more. */
function podAmounts(spec: any, field: 'requests' | 'limits'): Map<string, Quantity> {
  const total = new Map<string, Quantity>();
  for (const c of spec?.containers ?? []) for (const [name, q] of amounts(c.resources?.[field])) total.set(name, total.get(name)?.add(q) ?? q);
  for (const c of spec?.initContainers ?? []) {
    for (const [name, q] of amounts(c.resources?.[field])) if (!total.has(name) || q.cmp(total.get(name)!) > 0) total.set(name, q);
  }
  return total;
}

function checkItem(item: LimitItem, requests: Map<string, Quantity>, limits: Map<string, Quantity>): string[] {
  const type = item.type!;
  return [
    ...sortedEntries(item.min).map(([name, q]) => minConstraint(type, name, q, requests, limits)),
    ...sortedEntries(item.max).map(([name, q]) => maxConstraint(type, name, q, requests, limits)),
    ...sortedEntries(item.maxLimitRequestRatio).map(([name, q]) => ratioConstraint(type, name, q, requests, limits)),
  ].filter((m): m is string => m !== undefined);
}

/** PodValidateLimitFunc and PersistentVolumeClaimValidateLimitFunc: every violation, in Kubernetes' words. */
export function limitRangeViolations(kind: string, obj: KubeObject, limitRanges: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const lr of limitRanges) {
    for (const item of (lr.spec?.limits as LimitItem[] | undefined) ?? []) {
      if (kind === 'Pod' && item.type === 'Container') {
        for (const c of [...(obj.spec?.containers ?? []), ...(obj.spec?.initContainers ?? [])]) {
          problems.push(...checkItem(item, amounts(c.resources?.requests), amounts(c.resources?.limits)));
        }
      }
      if (kind === 'Pod' && item.type === 'Pod') problems.push(...checkItem(item, podAmounts(obj.spec, 'requests'), podAmounts(obj.spec, 'limits')));
      if (kind === 'PersistentVolumeClaim' && item.type === 'PersistentVolumeClaim') {
        const requests = amounts(obj.spec?.resources?.requests);
        problems.push(...sortedEntries(item.min).map(([name, q]) => minConstraint(item.type!, name, q, requests, new Map())).filter((m): m is string => m !== undefined));
        problems.push(...sortedEntries(item.max).map(([name, q]) => maxRequestConstraint(item.type!, name, q, requests)).filter((m): m is string => m !== undefined));
      }
    }
  }
  return problems;
}

/** The validating half: refuses a pod or claim breaking a limit with `pods "x" is forbidden: ...` ([a, b] for several). */
export function admitLimitRanges(r: ResourceType, obj: KubeObject, limitRanges: KubeObject[]): void {
  const problems = limitRangeViolations(r.kind, obj, limitRanges);
  if (problems.length === 0) return;
  const name = obj.metadata.name ?? '';
  const why = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
  throw new ApiError('Forbidden', `${r.plural} "${name}" is forbidden: ${why}`, { name, kind: r.plural });
}

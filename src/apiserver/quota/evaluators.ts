// What an object charges against a ResourceQuota, as Kubernetes' quota evaluators
// (pkg/quota/v1/evaluator/core and generic) count it: every object `count/<resource>.<group>`;
// pods, services, claims, config maps, secrets, replication controllers and quotas also under their
// legacy names; pods their compute requests and limits while not finished; services their node
// ports and load balancers; claims their requested storage. Scopes select pods only.
import { Quantity } from '../../api/quantity.js';
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { podQOSClass } from '../registry/strategies/pod-qos.js';
import { add, type ResourceList } from './resource-list.js';

const ONE = Quantity.of(1, 'DecimalSI');

/** Kinds counted under their plain plural too (`pods`, `secrets`), as Kubernetes did before count/*. */
const LEGACY_COUNTED = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims']);

/** The compute resources a pod must state in every container once a quota limits them. */
const MUST_BE_STATED = ['cpu', 'limits.cpu', 'limits.memory', 'memory', 'requests.cpu', 'requests.memory'];

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** Events come and go by the thousand; Kubernetes never counts them against a quota. */
export function isQuotaIgnored(r: ResourceType): boolean {
  return r.plural === 'events' && (r.group === '' || r.group === 'events.k8s.io');
}

export function objectCountName(r: ResourceType): string {
  return r.group ? `count/${r.plural}.${r.group}` : `count/${r.plural}`;
}

function isPodResource(name: string): boolean {
  return (
    ['pods', 'count/pods', 'cpu', 'memory', 'ephemeral-storage'].includes(name) ||
    name.startsWith('hugepages-') ||
    name.startsWith('limits.') ||
    (name.startsWith('requests.') && name !== 'requests.storage')
  );
}

/** evaluator.MatchingResources: which of a quota's resources an object of this type is charged under. */
export function matchingResources(r: ResourceType, names: string[]): string[] {
  const count = objectCountName(r);
  return names.filter((name) => {
    if (name === count || (r.group === '' && LEGACY_COUNTED.has(r.plural) && name === r.plural)) return true;
    if (r.group !== '') return false;
    if (r.plural === 'pods') return isPodResource(name);
    if (r.plural === 'services') return name === 'services.nodeports' || name === 'services.loadbalancers';
    if (r.plural === 'persistentvolumeclaims') return name === 'requests.storage' || name.includes(STORAGE_CLASS_SUFFIX);
    return false;
  });
}

/** A pod that has finished, or whose grace period is over, no longer holds compute (QuotaV1Pod). */
function podHoldsResources(pod: KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata.deletionTimestamp;
  if (deletion && pod.metadata.deletionGracePeriodSeconds != null) {
    // deletionTimestamp is already the end of the grace period.
    return now <= Date.parse(deletion);
  }
  return true;
}

function quantities(list: Record<string, string | number> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(list ?? {})) {
    const q = Quantity.parse(value);
    if (q) out.set(name, q);
  }
  return out;
}

/** PodRequests/PodLimits: the containers' sum, or the largest init container when that is more, plus the overhead. */
function podAmounts(spec: any, field: 'requests' | 'limits'): Map<string, Quantity> {
  let total = new Map<string, Quantity>();
  for (const c of spec?.containers ?? []) total = add(total, quantities(c.resources?.[field]));
  for (const c of spec?.initContainers ?? []) {
    for (const [name, q] of quantities(c.resources?.[field])) if (!total.has(name) || q.cmp(total.get(name)!) > 0) total.set(name, q);
  }
  if (spec?.overhead) total = add(total, quantities(spec.overhead));
  return total;
}

/** podComputeUsageHelper: what requests and limits count as. */
function computeUsage(requests: Map<string, Quantity>, limits: Map<string, Quantity>): ResourceList {
  const usage: ResourceList = new Map([['pods', ONE]]);
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    const request = requests.get(name);
    if (request) usage.set(name, request).set(`requests.${name}`, request);
    const limit = limits.get(name);
    if (limit) usage.set(`limits.${name}`, limit);
  }
  for (const [name, request] of requests) {
    if (name.startsWith('hugepages-')) usage.set(name, request).set(`requests.${name}`, request);
    else if (name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.')) usage.set(`requests.${name}`, request);
  }
  return usage;
}

function serviceUsage(svc: KubeObject): ResourceList {
  const usage: ResourceList = new Map([['services', ONE]]);
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = (svc.spec?.ports ?? []).length;
  if (type === 'NodePort') usage.set('services.nodeports', Quantity.of(ports, 'DecimalSI'));
  if (type === 'LoadBalancer') {
    usage.set('services.loadbalancers', ONE);
    if (svc.spec?.allocateLoadBalancerNodePorts !== false) usage.set('services.nodeports', Quantity.of(ports, 'DecimalSI'));
  }
  return usage;
}

function claimUsage(pvc: KubeObject): ResourceList {
  const usage: ResourceList = new Map([['persistentvolumeclaims', ONE]]);
  const requested = Quantity.parse(pvc.spec?.resources?.requests?.storage ?? '');
  const allocated = Quantity.parse(pvc.status?.allocatedResources?.storage ?? '');
  const storage = allocated && (!requested || allocated.cmp(requested) > 0) ? allocated : requested;
  const storageClass = pvc.spec?.storageClassName;
  if (storageClass) usage.set(`${storageClass}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`, ONE);
  if (storage) {
    usage.set('requests.storage', storage);
    if (storageClass) usage.set(`${storageClass}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
  }
  return usage;
}

/** evaluator.Usage: everything the object is charged, zeros included. */
export function usage(r: ResourceType, obj: KubeObject, now: number): ResourceList {
  const count: ResourceList = new Map([[objectCountName(r), ONE]]);
  if (r.group !== '') return count;
  switch (r.plural) {
    case 'pods':
      if (!podHoldsResources(obj, now)) return count;
      return add(count, computeUsage(podAmounts(obj.spec, 'requests'), podAmounts(obj.spec, 'limits')));
    case 'services':
      return add(count, serviceUsage(obj));
    case 'persistentvolumeclaims':
      return add(count, claimUsage(obj));
    default:
      return LEGACY_COUNTED.has(r.plural) ? count.set(r.plural, ONE) : count;
  }
}

/** The scopes of spec.scopes and scopeSelector's In/Exists expressions on the scope names kctl knows. */
function quotaScopes(quota: KubeObject): { scope: string; operator: string; values: string[] }[] {
  const scopes: { scope: string; operator: string; values: string[] }[] = (quota.spec?.scopes ?? []).map((scope: string) => ({ scope, operator: 'Exists', values: [] }));
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) scopes.push({ scope: e.scopeName, operator: e.operator, values: e.values ?? [] });
  return scopes;
}

function podMatchesScope(pod: KubeObject, scope: { scope: string; operator: string; values: string[] }): boolean {
  const spec = pod.spec ?? {};
  const deadline = spec.activeDeadlineSeconds;
  switch (scope.scope) {
    case 'Terminating':
      return deadline != null && deadline >= 0;
    case 'NotTerminating':
      return deadline == null || deadline < 0;
    case 'BestEffort':
      return podQOSClass(spec) === 'BestEffort';
    case 'NotBestEffort':
      return podQOSClass(spec) !== 'BestEffort';
    case 'PriorityClass': {
      const name: string = spec.priorityClassName ?? '';
      if (scope.operator === 'In') return scope.values.includes(name);
      if (scope.operator === 'NotIn') return !scope.values.includes(name);
      return scope.operator === 'DoesNotExist' ? !name : !!name;
    }
    default:
      // CrossNamespacePodAffinity: kctl's scheduler has no cross-namespace affinity terms to count.
      return false;
  }
}

/** Whether every scope of the quota selects the object (scopes select pods only). */
export function scopesSelect(quota: KubeObject, r: ResourceType, obj: KubeObject): boolean {
  const scopes = quotaScopes(quota);
  if (scopes.length === 0) return true;
  return r.group === '' && r.plural === 'pods' && scopes.every((s) => podMatchesScope(obj, s));
}

/** evaluator.Matches: the quota limits something this object is charged and its scopes select it. */
export function quotaMatches(quota: KubeObject, r: ResourceType, obj: KubeObject): boolean {
  return matchingResources(r, Object.keys(quota.status?.hard ?? {})).length > 0 && scopesSelect(quota, r, obj);
}

/**
 * podEvaluator.Constraints: once a quota limits cpu or memory, every container must state it;
 * `must specify limits.cpu for: app; requests.memory for: app,sidecar`.
 */
export function missingComputeResources(r: ResourceType, obj: KubeObject, limited: string[]): string | undefined {
  if (r.group !== '' || r.plural !== 'pods') return undefined;
  const required = MUST_BE_STATED.filter((name) => limited.includes(name));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(obj.spec?.containers ?? []), ...(obj.spec?.initContainers ?? [])]) {
    const stated = computeUsage(quantities(c.resources?.requests), quantities(c.resources?.limits));
    for (const name of required) if (!stated.has(name)) missing.set(name, (missing.get(name) ?? new Set()).add(c.name));
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...missing.get(name)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

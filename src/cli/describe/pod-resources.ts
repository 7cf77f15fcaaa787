// What a pod asks of its node, as the scheduler counts it (component-helpers' PodRequests and
// PodLimits), and its QoS class.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.js';

export type ResourceTotals = Map<string, Quantity>;

type ResourcesOf = (c: Container) => Record<string, string> | undefined;

/** Adds each quantity of `list` to the total of the same name. */
export function addInto(totals: ResourceTotals, list: Record<string, string> | ResourceTotals | undefined): void {
  const entries = list instanceof Map ? list.entries() : Object.entries(list ?? {});
  for (const [name, raw] of entries) {
    const q = raw instanceof Quantity ? raw : Quantity.parse(raw);
    if (!q) continue;
    const current = totals.get(name);
    totals.set(name, current ? current.add(q) : q);
  }
}

function maxInto(totals: ResourceTotals, list: ResourceTotals): void {
  for (const [name, q] of list) {
    const current = totals.get(name);
    if (!current || q.cmp(current) > 0) totals.set(name, q);
  }
}

// App containers (and sidecars: init containers that keep running) add up; a plain init
// container runs alone, next to the sidecars started before it, so only the largest such moment counts.
function aggregate(pod: Pod, pick: ResourcesOf): ResourceTotals {
  const totals: ResourceTotals = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(totals, pick(c));
  const sidecars: ResourceTotals = new Map();
  const initPeak: ResourceTotals = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addInto(totals, pick(c));
      addInto(sidecars, pick(c));
      maxInto(initPeak, sidecars);
    } else {
      const alone: ResourceTotals = new Map();
      addInto(alone, pick(c));
      addInto(alone, sidecars);
      maxInto(initPeak, alone);
    }
  }
  maxInto(totals, initPeak);
  return totals;
}

export function podRequests(pod: Pod): ResourceTotals {
  const totals = aggregate(pod, (c) => c.resources?.requests);
  addInto(totals, pod.spec?.overhead);
  return totals;
}

export function podLimits(pod: Pod): ResourceTotals {
  const totals = aggregate(pod, (c) => c.resources?.limits);
  // Overhead only raises limits that are set: an unset limit stays unlimited.
  for (const [name, raw] of Object.entries(pod.spec?.overhead ?? {})) {
    const q = Quantity.parse(raw);
    const current = totals.get(name);
    if (q && current) totals.set(name, current.add(q));
  }
  return totals;
}

const QOS_RESOURCES = ['cpu', 'memory'];

/** The QoS class the server recorded, else computed as kubectl does when a pod lacks one. */
export function qosClass(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const requests: ResourceTotals = new Map();
  const limits: ResourceTotals = new Map();
  let guaranteed = true;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    addInto(requests, positiveComputeResources(c.resources?.requests));
    const containerLimits = positiveComputeResources(c.resources?.limits);
    addInto(limits, containerLimits);
    if (!QOS_RESOURCES.every((r) => containerLimits.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  for (const [name, req] of requests) {
    const limit = limits.get(name);
    if (!limit || limit.cmp(req) !== 0) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function positiveComputeResources(list: Record<string, string> | undefined): ResourceTotals {
  const result: ResourceTotals = new Map();
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = Quantity.parse(raw);
    if (QOS_RESOURCES.includes(name) && q && q.cmp(Quantity.ZERO) > 0) result.set(name, q);
  }
  return result;
}

// A pod's quality-of-service class, as Kubernetes' GetPodQOS computes it from the cpu and memory
// requests and limits of all its containers.
import { parseQuantity } from './quantity.js';

const QOS_RESOURCES = ['cpu', 'memory'];

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function podQOSClass(spec: any): QOSClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    const containerLimits = positiveAmounts(c.resources?.limits);
    // A limit without a request is also the request (the pod defaults say so), whenever this runs.
    const containerRequests = new Map([...containerLimits, ...positiveAmounts(c.resources?.requests)]);
    for (const [name, amount] of containerRequests) requests.set(name, (requests.get(name) ?? 0) + amount);
    for (const [name, amount] of containerLimits) limits.set(name, (limits.get(name) ?? 0) + amount);
    if (!QOS_RESOURCES.every((name) => containerLimits.has(name))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  const requestsAreLimits = [...requests].every(([name, amount]) => limits.get(name) === amount);
  return guaranteed && requestsAreLimits && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function positiveAmounts(list: Record<string, string | number> | undefined): Map<string, number> {
  const amounts = new Map<string, number>();
  for (const name of QOS_RESOURCES) {
    const amount = parseQuantity(list?.[name]);
    if (amount !== undefined && amount > 0) amounts.set(name, amount);
  }
  return amounts;
}

// A pod's quality-of-service class, as Kubernetes' GetPodQOS computes it from the cpu and memory
// requests and limits of all its containers.
import { Quantity } from '../../../api/quantity.js';

const QOS_RESOURCES = ['cpu', 'memory'];

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function podQOSClass(spec: any): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    const containerLimits = positiveAmounts(c.resources?.limits);
    // A limit without a request is also the request (the pod defaults say so), whenever this runs.
    const containerRequests = new Map([...containerLimits, ...positiveAmounts(c.resources?.requests)]);
    for (const [name, amount] of containerRequests) requests.set(name, requests.get(name)?.add(amount) ?? amount);
    for (const [name, amount] of containerLimits) limits.set(name, limits.get(name)?.add(amount) ?? amount);
    if (!QOS_RESOURCES.every((name) => containerLimits.has(name))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  const requestsAreLimits = [...requests].every(([name, amount]) => limits.get(name)?.cmp(amount) === 0);
  return guaranteed && requestsAreLimits && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function positiveAmounts(list: Record<string, string | number> | undefined): Map<string, Quantity> {
  const amounts = new Map<string, Quantity>();
  for (const name of QOS_RESOURCES) {
    const raw = list?.[name];
    const amount = raw == null ? undefined : Quantity.parse(raw);
    if (amount && amount.cmp(Quantity.ZERO) > 0) amounts.set(name, amount);
  }
  return amounts;
}

// Pure: Kubernetes' replica calculator for Resource metrics. The usage of the pods with figures is
// compared with the target (a utilization of their requests, or an average value); pods without
// figures count as 100% of their base when scaling down and 0 when scaling up, and pods not yet
// ready count as 0 when scaling up, so neither pushes the count further than the data supports.
// Within the tolerance (10%) the count stays.

export const TOLERANCE = 0.1;

export interface PodSample {
  name: string;
  /** Ready, as the pod's Ready condition says; Pending pods are never ready. */
  ready: boolean;
  /** Being deleted or Failed: left out altogether. */
  ignored: boolean;
  /** The pod's usage of the resource (millicores or bytes), summed over its containers; undefined without figures. */
  usage?: number;
  /** The sum of its containers' requests; undefined when a container requests none. */
  request?: number;
}

export type ResourceTarget = { type: 'Utilization'; averageUtilization: number } | { type: 'AverageValue'; averageValue: number };

export interface Recommendation {
  replicas: number;
  /** Utilization in percent of the requests (Utilization targets only). */
  utilization?: number;
  /** The average usage per pod with figures. */
  averageValue: number;
}

export class ReplicaCalculationError extends Error {}

/** The replica count `target` asks for, from the pods' usage; throws when it cannot be known. */
export function resourceReplicas(currentReplicas: number, pods: PodSample[], target: ResourceTarget, resource: string): Recommendation {
  const counted = pods.filter((p) => !p.ignored);
  if (counted.length === 0) throw new ReplicaCalculationError(`no pods returned by selector while calculating replica count`);
  const base = (p: PodSample): number => {
    if (target.type === 'AverageValue') return target.averageValue;
    if (p.request === undefined || p.request <= 0) throw new ReplicaCalculationError(`missing request for ${resource} in pod ${p.name}`);
    return p.request;
  };
  const withUsage = counted.filter((p) => p.usage !== undefined);
  if (withUsage.length === 0) throw new ReplicaCalculationError(`did not receive metrics for targeted pods (pods might be unready)`);
  const ready = withUsage.filter((p) => p.ready);
  const unready = counted.filter((p) => !p.ready);
  const missing = counted.filter((p) => p.ready && p.usage === undefined);
  const targetFactor = target.type === 'Utilization' ? target.averageUtilization / 100 : 1;
  const ratioOf = (samples: { usage: number; base: number }[]) => {
    const usage = samples.reduce((s, x) => s + x.usage, 0);
    const bases = samples.reduce((s, x) => s + x.base, 0);
    return usage / bases / targetFactor;
  };
  const readySamples = ready.map((p) => ({ usage: p.usage!, base: base(p) }));
  if (readySamples.length === 0) throw new ReplicaCalculationError(`did not receive metrics for targeted pods (pods might be unready)`);
  const usageRatio = ratioOf(readySamples);
  const averageValue = readySamples.reduce((s, x) => s + x.usage, 0) / readySamples.length;
  const utilization = target.type === 'Utilization' ? Math.round(usageRatio * target.averageUtilization) : undefined;
  const result = (replicas: number): Recommendation => ({ replicas, averageValue, ...(utilization !== undefined ? { utilization } : {}) });

  const scaleUpWithUnready = unready.length > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && missing.length === 0) {
    if (Math.abs(1 - usageRatio) <= TOLERANCE) return result(currentReplicas);
    return result(Math.ceil(usageRatio * readySamples.length));
  }
  const samples = [...readySamples];
  for (const p of missing) samples.push({ usage: usageRatio < 1 ? base(p) : 0, base: base(p) });
  if (scaleUpWithUnready) for (const p of unready) samples.push({ usage: 0, base: base(p) });
  const newRatio = ratioOf(samples);
  if (Math.abs(1 - newRatio) <= TOLERANCE || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1)) return result(currentReplicas);
  const replicas = Math.ceil(newRatio * samples.length);
  // The extra pods must not turn the direction round.
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return result(currentReplicas);
  return result(replicas);
}

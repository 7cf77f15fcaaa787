// Pod priority as Kubernetes defines it: the two built-in system classes, the ceiling of classes
// users may define, and a pod's resolved priority (spec.priority, set by the Priority admission).
import type { KubeObject } from './types.js';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';
const SYSTEM_VALUES: Record<string, number> = { [SYSTEM_CLUSTER_CRITICAL]: 2_000_000_000, [SYSTEM_NODE_CRITICAL]: 2_000_001_000 };
const SYSTEM_DESCRIPTIONS: Record<string, string> = {
  [SYSTEM_CLUSTER_CRITICAL]: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  [SYSTEM_NODE_CRITICAL]: 'Used for system critical pods that must not be moved from their current node.',
};

/** The system classes the API server makes at start, as Kubernetes' scheduling storage does. */
export function systemPriorityClasses(): KubeObject[] {
  return Object.entries(SYSTEM_VALUES).map(([name, value]) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    globalDefault: false,
    description: SYSTEM_DESCRIPTIONS[name],
    preemptionPolicy: 'PreemptLowerPriority',
  }));
}

/** IsKnownSystemPriorityClass: undefined when it is one, else why not. */
export function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const want = SYSTEM_VALUES[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function podPriority(pod: { spec?: { priority?: number } }): number {
  return pod.spec?.priority ?? 0;
}

/** The class pods without one get: the globalDefault one, the lowest valued of several (as Kubernetes picks after a race). */
export function defaultPriorityClass(classes: readonly KubeObject[]): KubeObject | undefined {
  return classes.filter((c) => c.globalDefault === true).sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
}

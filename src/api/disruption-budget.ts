// What the eviction subresource and the disruption controller both know of a PodDisruptionBudget
// (policy/v1): which budgets cover a pod, pod readiness as they count it, and the
// DisruptionAllowed condition (k8s.io/component-helpers/apps/poddisruptionbudget).
import { labelSelectorAsSelector } from './label-selector.js';
import { rfc3339 } from './timestamps.js';
import type { KubeObject } from './types.js';

export const DISRUPTION_ALLOWED = 'DisruptionAllowed';

export interface BudgetCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

/**
 * The budgets of the pod's namespace whose selector picks it. policy/v1: an empty selector picks
 * every pod, an absent or broken one none.
 */
export function budgetsForPod(budgets: KubeObject[], pod: KubeObject): KubeObject[] {
  return budgets.filter((pdb) => {
    if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
    try {
      return labelSelectorAsSelector(pdb.spec?.selector).matches(pod.metadata.labels ?? {});
    } catch {
      return false;
    }
  });
}

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** apimeta.SetStatusCondition: the transition time moves only when the status does. */
export function setCondition(conditions: BudgetCondition[], next: Omit<BudgetCondition, 'lastTransitionTime'>, now: Date): BudgetCondition[] {
  const old = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = old && old.status === next.status ? old.lastTransitionTime : rfc3339(now);
  const updated = { ...next, lastTransitionTime };
  return old ? conditions.map((c) => (c === old ? updated : c)) : [...conditions, updated];
}

/** UpdateDisruptionAllowedCondition: True/SufficientPods while a disruption is allowed, False/InsufficientPods otherwise. */
export function withDisruptionAllowedCondition(status: any, now: Date): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  status.conditions = setCondition(
    status.conditions ?? [],
    {
      type: DISRUPTION_ALLOWED,
      status: allowed ? 'True' : 'False',
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: status.observedGeneration ?? 0,
    },
    now,
  );
}

// Setting a CustomResourceDefinition's conditions, as its controllers write them: a condition
// that keeps its status keeps its lastTransitionTime.
import type { KubeObject } from '../../../api/types.js';
import type { CrdCondition } from '../../../api/custom-resource-definitions.js';
import { rfc3339 } from '../../../api/timestamps.js';

/** The status with the condition set (a new object; the informer's copy is left alone). */
export function withCondition(status: Record<string, any> | undefined, condition: CrdCondition, now = new Date()): Record<string, any> {
  const conditions: CrdCondition[] = [...((status?.conditions as CrdCondition[] | undefined) ?? [])];
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = i >= 0 ? conditions[i] : undefined;
  const next = { ...condition, lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : rfc3339(now) };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  return { ...(status ?? {}), conditions };
}

export function statusChanged(a: KubeObject['status'], b: KubeObject['status']): boolean {
  return JSON.stringify(a ?? {}) !== JSON.stringify(b ?? {});
}

// Pure: whether a pod's tolerations tolerate a node's taints, as Kubernetes' v1 helpers decide it
// (the scheduler, the node lifecycle controller's evictions and drain all ask the same question).
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  // An empty key with Exists tolerates every taint.
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The taints with one of `effects` that no toleration tolerates, in the node's order. */
export function untoleratedTaints(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, effects: readonly string[]): Taint[] {
  return (taints ?? []).filter((taint) => effects.includes(taint.effect) && !tolerated(tolerations, taint));
}

/** `{key: value}`, as the scheduler names a taint in its messages. */
export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}

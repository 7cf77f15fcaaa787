// Pure: when a pod must leave a node because of the node's NoExecute taints, as Kubernetes' taint
// eviction controller decides it: a taint no toleration tolerates means at once; otherwise the
// shortest tolerationSeconds among the tolerations used (the first that tolerates each taint);
// tolerations without tolerationSeconds tolerate for ever.
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../../../api/taints.js';

/** Seconds the pod may stay, 0 for at once; undefined when it may stay (no NoExecute taint, or tolerated for ever). */
export function evictionDelaySeconds(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): number | undefined {
  const noExecute = (taints ?? []).filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return undefined;
  let min: number | undefined;
  for (const taint of noExecute) {
    const used = (tolerations ?? []).find((t) => toleratesTaint(t, taint));
    if (!used) return 0;
    if (used.tolerationSeconds == null) continue;
    if (used.tolerationSeconds <= 0) return 0;
    min = min === undefined ? used.tolerationSeconds : Math.min(min, used.tolerationSeconds);
  }
  return min;
}

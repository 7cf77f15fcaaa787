// TaintToleration: NoSchedule and NoExecute taints keep out pods that do not tolerate them;
// untolerated PreferNoSchedule taints lower a node's score.
import { formatTaint, untoleratedTaints } from '../../../api/taints.js';
import { SKIP, defaultNormalize, type FilterPlugin, type ScorePlugin } from '../framework.js';

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(pod, node) {
    if (!node.tainted) return undefined;
    const [taint] = untoleratedTaints(node.node.spec?.taints, pod.spec?.tolerations, ['NoSchedule', 'NoExecute']);
    return taint ? { reason: `node(s) had untolerated taint ${formatTaint(taint)}`, unresolvable: true } : undefined;
  },
  preScore(_pod, feasible) {
    return feasible.some((n) => n.tainted) ? undefined : SKIP;
  },
  score(pod, node) {
    if (!node.tainted) return 0;
    // Only the tolerations that could apply to PreferNoSchedule count, as in kube-scheduler.
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return untoleratedTaints(node.node.spec?.taints, tolerations, ['PreferNoSchedule']).length;
  },
  normalize(scores) {
    defaultNormalize(scores, true);
  },
};

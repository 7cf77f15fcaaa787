// NodeAffinity: spec.nodeSelector and required node affinity filter; preferred terms add their
// weights to the nodes they match.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SKIP, defaultNormalize, type FilterPlugin, type ScorePlugin } from '../framework.js';
import { matchesAnyTerm, matchesTerm } from '../node-selector.js';

function nodeSelectorMatches(pod: Pod, labels: Record<string, string>): boolean {
  const selector = pod.spec?.nodeSelector;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

export const nodeAffinity: FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preFilter(pod) {
    const selector = pod.spec?.nodeSelector;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return required || (selector && Object.keys(selector).length > 0) ? undefined : SKIP;
  },
  filter(pod, node) {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const ok = nodeSelectorMatches(pod, node.labels) && (!required || matchesAnyTerm(required.nodeSelectorTerms, node.node));
    return ok ? undefined : { reason: "node(s) didn't match Pod's node affinity/selector", unresolvable: true };
  },
  preScore(pod) {
    return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? undefined : SKIP;
  },
  score(pod, node) {
    let total = 0;
    for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (p.weight !== 0 && matchesTerm(p.preference, node.node)) total += p.weight;
    }
    return total;
  },
  normalize(scores) {
    defaultNormalize(scores, false);
  },
};

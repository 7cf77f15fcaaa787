// InterPodAffinity: required pod affinity (some matching pod in the node's topology domain),
// required anti-affinity (none there), the anti-affinity of pods already running (they must not
// get the new pod beside them), and preferred terms as scores.
import type { Pod, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { SKIP, type CycleContext, type FilterPlugin, type ScorePlugin, type Skip } from '../framework.js';
import { MAX_NODE_SCORE } from '../framework.js';
import { compileTerm, domainOf, type CompiledTerm } from '../pod-affinity-terms.js';

interface FilterState {
  affinity: CompiledTerm[];
  /** Per affinity term, the domains holding a matching pod. */
  affinityDomains: Set<string>[];
  /** No pod anywhere matches the affinity terms, and the pod matches them itself: the first of its group may go anywhere. */
  firstOfGroup: boolean;
  antiAffinity: CompiledTerm[];
  antiAffinityDomains: Set<string>[];
  /** Domains where a running pod's required anti-affinity rejects this pod. */
  rejectedByExisting: Set<string>;
}

const FILTER_STATE = 'InterPodAffinity/filter';
const SCORE_STATE = 'InterPodAffinity/score';

function namespaceOf(pod: Pod): string {
  return pod.metadata?.namespace ?? 'default';
}

function* podsWithNodes(ctx: CycleContext): Generator<[Pod, Record<string, string>]> {
  for (const n of ctx.nodes) for (const p of n.pods.values()) yield [p, n.labels];
}

function preFilter(pod: Pod, ctx: CycleContext): Skip | undefined {
  const ns = namespaceOf(pod);
  const aff = pod.spec?.affinity;
  const affinity = (aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns));
  const antiAffinity = (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns));
  // Most pods have no affinity and no running pod has anti-affinity: nothing to check then.
  if (affinity.length === 0 && antiAffinity.length === 0 && ctx.antiAffinityPods === 0) return SKIP;
  const state: FilterState = {
    affinity,
    affinityDomains: affinity.map(() => new Set()),
    firstOfGroup: false,
    antiAffinity,
    antiAffinityDomains: antiAffinity.map(() => new Set()),
    rejectedByExisting: new Set(),
  };
  ctx.state.set(FILTER_STATE, state);
  let anyAffinityMatch = false;
  for (const [existing, labels] of podsWithNodes(ctx)) {
    affinity.forEach((t, i) => {
      const d = domainOf(labels, t.topologyKey);
      if (d && t.matches(existing)) {
        state.affinityDomains[i].add(d);
        anyAffinityMatch = true;
      }
    });
    antiAffinity.forEach((t, i) => {
      const d = domainOf(labels, t.topologyKey);
      if (d && t.matches(existing)) state.antiAffinityDomains[i].add(d);
    });
    for (const term of existing.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const t = compileTerm(term, namespaceOf(existing));
      const d = domainOf(labels, t.topologyKey);
      if (d && t.matches(pod)) state.rejectedByExisting.add(d);
    }
  }
  state.firstOfGroup = affinity.length > 0 && !anyAffinityMatch && affinity.every((t) => t.matches(pod));
  return undefined;
}

function weightedTerms(pod: Pod): Array<{ term: CompiledTerm; weight: number }> {
  const ns = namespaceOf(pod);
  const aff = pod.spec?.affinity;
  const terms = (list: WeightedPodAffinityTerm[] | undefined, sign: number) =>
    (list ?? []).map((w) => ({ term: compileTerm(w.podAffinityTerm, ns), weight: sign * w.weight }));
  return [...terms(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, 1), ...terms(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, -1)];
}

export const interPodAffinity: FilterPlugin & ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preFilter,
  filter(pod, node, ctx) {
    const s = ctx.state.get(FILTER_STATE) as FilterState;
    const labels = node.labels;
    for (const d of s.rejectedByExisting) {
      const [key] = d.split('=', 1);
      if (domainOf(labels, key) === d) return { reason: "node(s) didn't satisfy existing pods anti-affinity rules" };
    }
    if (!s.firstOfGroup) {
      const ok = s.affinity.every((t, i) => {
        const d = domainOf(labels, t.topologyKey);
        return d !== undefined && s.affinityDomains[i].has(d);
      });
      if (!ok) return { reason: "node(s) didn't match pod affinity rules" };
    }
    const blocked = s.antiAffinity.some((t, i) => {
      const d = domainOf(labels, t.topologyKey);
      return d !== undefined && s.antiAffinityDomains[i].has(d);
    });
    return blocked ? { reason: "node(s) didn't match pod anti-affinity rules" } : undefined;
  },
  preScore(pod, _feasible, ctx) {
    const terms = weightedTerms(pod);
    if (terms.length === 0) return SKIP;
    const byDomain = new Map<string, number>();
    for (const [existing, labels] of podsWithNodes(ctx)) {
      for (const { term, weight } of terms) {
        const d = domainOf(labels, term.topologyKey);
        if (d && term.matches(existing)) byDomain.set(d, (byDomain.get(d) ?? 0) + weight);
      }
    }
    ctx.state.set(SCORE_STATE, { terms, byDomain });
    return undefined;
  },
  score(_pod, node, ctx) {
    const { terms, byDomain } = ctx.state.get(SCORE_STATE) as { terms: Array<{ term: CompiledTerm }>; byDomain: Map<string, number> };
    let total = 0;
    const seen = new Set<string>();
    for (const { term } of terms) {
      const d = domainOf(node.labels, term.topologyKey);
      if (d && !seen.has(d)) {
        seen.add(d);
        total += byDomain.get(d) ?? 0;
      }
    }
    return total;
  },
  normalize(scores) {
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (let i = 0; i < scores.length; i++) scores[i] = max === min ? 0 : Math.floor((MAX_NODE_SCORE * (scores[i] - min)) / (max - min));
  },
};

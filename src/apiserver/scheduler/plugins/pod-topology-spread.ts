// PodTopologySpread: topologySpreadConstraints. DoNotSchedule constraints filter out the domains
// where placing the pod would make the skew (its domain's matching pods minus the emptiest
// domain's) exceed maxSkew; ScheduleAnyway constraints prefer the emptier domains.
import type { Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector, type Selector } from '../../../api/label-selector.js';
import { MAX_NODE_SCORE, SKIP, type CycleContext, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { matchesAnyTerm } from '../node-selector.js';

interface Counted {
  constraint: TopologySpreadConstraint;
  selector: Selector;
  /** Matching pods per domain value, every eligible domain present (0 when empty). */
  counts: Map<string, number>;
  minCount: number;
  selfMatch: number;
}

const FILTER_STATE = 'PodTopologySpread/filter';
const SCORE_STATE = 'PodTopologySpread/score';

/** A node counts for spreading when the pod could go there by its node selector and affinity (nodeAffinityPolicy Honor). */
function eligible(pod: Pod, node: NodeInfo): boolean {
  const selector = pod.spec?.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => node.labels[k] === v)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || matchesAnyTerm(required.nodeSelectorTerms, node.node);
}

function count(pod: Pod, constraints: TopologySpreadConstraint[], ctx: CycleContext): Counted[] {
  const ns = pod.metadata?.namespace ?? 'default';
  return constraints.map((constraint) => {
    const selector = labelSelectorAsSelector(constraint.labelSelector);
    const counts = new Map<string, number>();
    for (const node of ctx.nodes) {
      const domain = node.labels[constraint.topologyKey];
      if (domain === undefined || !eligible(pod, node)) continue;
      let n = counts.get(domain) ?? 0;
      for (const p of node.pods.values()) {
        if ((p.metadata?.namespace ?? 'default') === ns && !p.metadata?.deletionTimestamp && selector.matches(p.metadata?.labels ?? {})) n++;
      }
      counts.set(domain, n);
    }
    const minDomainsUnmet = constraint.minDomains !== undefined && counts.size < constraint.minDomains;
    const minCount = counts.size === 0 || minDomainsUnmet ? 0 : Math.min(...counts.values());
    return { constraint, selector, counts, minCount, selfMatch: selector.matches(pod.metadata?.labels ?? {}) ? 1 : 0 };
  });
}

function constraintsOf(pod: Pod, when: string): TopologySpreadConstraint[] {
  return (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === when);
}

export const podTopologySpread: FilterPlugin & ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter(pod, ctx) {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (constraints.length === 0) return SKIP;
    ctx.state.set(FILTER_STATE, count(pod, constraints, ctx));
    return undefined;
  },
  filter(_pod, node, ctx) {
    for (const c of ctx.state.get(FILTER_STATE) as Counted[]) {
      const domain = node.labels[c.constraint.topologyKey];
      if (domain === undefined) return { reason: "node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true };
      if ((c.counts.get(domain) ?? 0) + c.selfMatch - c.minCount > c.constraint.maxSkew) return { reason: "node(s) didn't match pod topology spread constraints" };
    }
    return undefined;
  },
  preScore(pod, _feasible, ctx) {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return SKIP;
    ctx.state.set(SCORE_STATE, count(pod, constraints, ctx));
    return undefined;
  },
  score(_pod, node, ctx) {
    let total = 0;
    for (const c of ctx.state.get(SCORE_STATE) as Counted[]) {
      const domain = node.labels[c.constraint.topologyKey];
      // A node outside every domain is the worst place to spread to.
      total += domain === undefined ? Number.MAX_SAFE_INTEGER / 1e6 : (c.counts.get(domain) ?? 0);
    }
    return total;
  },
  normalize(scores) {
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (let i = 0; i < scores.length; i++) scores[i] = max === min ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max - scores[i])) / (max - min));
  },
};

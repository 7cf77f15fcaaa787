// Pure: one scheduling decision. Filters every node (or, on large clusters, enough of them, as
// kube-scheduler's percentageOfNodesToScore), scores the feasible ones and picks the best, or
// says why no node fits in Kubernetes' words: "0/3 nodes are available: 2 Insufficient cpu, …".
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SKIP, type CycleContext, type FilterFailure, type FilterPlugin, type ScorePlugin, type VolumeLookup } from './framework.js';
import type { NodeInfo } from './node-info.js';
import { balancedAllocation } from './plugins/balanced-allocation.js';
import { interPodAffinity } from './plugins/inter-pod-affinity.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeName } from './plugins/node-name.js';
import { nodePorts } from './plugins/node-ports.js';
import { nodeReady } from './plugins/node-ready.js';
import { nodeResourcesFit } from './plugins/node-resources-fit.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { ownerSpread } from './plugins/owner-spread.js';
import { podTopologySpread } from './plugins/pod-topology-spread.js';
import { volumeBinding } from './plugins/volume-binding.js';
import { volumeRestrictions } from './plugins/volume-restrictions.js';
import { taintToleration } from './plugins/taint-toleration.js';

/** In kube-scheduler's order: the cheap, decisive checks first. */
export const FILTERS: readonly FilterPlugin[] = [
  nodeUnschedulable,
  nodeName,
  nodeReady,
  taintToleration,
  nodeAffinity,
  volumeRestrictions,
  volumeBinding,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
];

export const SCORES: readonly ScorePlugin[] = [nodeResourcesFit, balancedAllocation, nodeAffinity, taintToleration, interPodAffinity, podTopologySpread, ownerSpread];

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** How many feasible nodes are enough to pick from: all on small clusters, a shrinking share on large ones. */
export function numFeasibleNodesToFind(allNodes: number): number {
  if (allNodes < MIN_FEASIBLE_NODES_TO_FIND) return allNodes;
  const percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.floor(allNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((allNodes * percentage) / 100));
}

export type ScheduleResult =
  | { node: string; evaluated: number; feasible: number }
  | { node?: undefined; message: string; reasons: Map<string, number>; resolvable: boolean; unresolvableNodes: number };

export interface ScheduleInput {
  nodes: readonly NodeInfo[];
  antiAffinityPods: number;
  volumes?: VolumeLookup;
  /** Where to start looking, rotated by the caller so every node gets its turn on large clusters. */
  startIndex?: number;
  random?: () => number;
}

/** `0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {a: b}.` */
export function unschedulableMessage(total: number, reasons: Map<string, number>): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}

function failure(total: number, reasons: Map<string, number>, resolvable: boolean, unresolvableNodes: number): ScheduleResult {
  return { message: unschedulableMessage(total, reasons), reasons, resolvable, unresolvableNodes };
}

/** The pod's pre-filters, run once: a failure that rules out every node, or the filters its nodes need (the ones not skipped). */
export function preFilter(pod: Pod, ctx: CycleContext): FilterFailure | FilterPlugin[] {
  const filters: FilterPlugin[] = [];
  for (const plugin of FILTERS) {
    const f = plugin.preFilter?.(pod, ctx);
    if (f === SKIP) continue;
    if (f) return f;
    filters.push(plugin);
  }
  return filters;
}

/** The first of `filters` that keeps the pod off the node. */
export function filterNode(pod: Pod, node: NodeInfo, filters: readonly FilterPlugin[], ctx: CycleContext): FilterFailure | undefined {
  for (const plugin of filters) {
    const failed = plugin.filter(pod, node, ctx);
    if (failed) return failed;
  }
  return undefined;
}

/**
 * The index of the highest total, a tie broken uniformly at random as kube-scheduler's selectHost
 * does, with one draw: on a cluster of equal nodes most of the hundreds scored tie, and a draw per
 * tie (reservoir sampling) cost more than the scoring.
 */
export function pickBest(totals: readonly number[], random: () => number): number {
  let max = -Infinity;
  let ties = 0;
  for (const t of totals) {
    if (t > max) {
      max = t;
      ties = 1;
    } else if (t === max) ties++;
  }
  let k = Math.min(ties - 1, Math.floor(random() * ties));
  for (let i = 0; i < totals.length; i++) if (totals[i] === max && k-- === 0) return i;
  return 0;
}

export function schedulePod(pod: Pod, input: ScheduleInput): ScheduleResult {
  const { nodes } = input;
  const ctx: CycleContext = { nodes, antiAffinityPods: input.antiAffinityPods, state: new Map(), volumes: input.volumes };
  const reasons = new Map<string, number>();
  let resolvable = false;
  let unresolvableNodes = 0;
  const note = (f: FilterFailure, count = 1) => {
    for (const reason of [f.reason, ...(f.otherReasons ?? [])]) reasons.set(reason, (reasons.get(reason) ?? 0) + count);
    if (!f.unresolvable) resolvable = true;
    else unresolvableNodes += count;
  };
  const filters = preFilter(pod, ctx);
  if (!Array.isArray(filters)) {
    note(filters, nodes.length);
    return failure(nodes.length, reasons, resolvable, unresolvableNodes);
  }
  const wanted = pod.spec?.nodeName ? nodes.length : numFeasibleNodesToFind(nodes.length);
  const feasible: NodeInfo[] = [];
  const start = (input.startIndex ?? 0) % Math.max(1, nodes.length);
  let evaluated = 0;
  for (; evaluated < nodes.length && feasible.length < wanted; evaluated++) {
    const node = nodes[(start + evaluated) % nodes.length];
    const failed = filterNode(pod, node, filters, ctx);
    if (failed) note(failed);
    else feasible.push(node);
  }
  if (feasible.length === 0) return failure(nodes.length, reasons, resolvable, unresolvableNodes);
  if (feasible.length === 1) return { node: feasible[0].name, evaluated, feasible: 1 };
  const totals = new Array<number>(feasible.length).fill(0);
  for (const plugin of SCORES) {
    if (plugin.preScore?.(pod, feasible, ctx) === SKIP) continue;
    const scores = feasible.map((n) => plugin.score(pod, n, ctx));
    plugin.normalize?.(scores);
    for (let i = 0; i < scores.length; i++) totals[i] += scores[i] * plugin.weight;
  }
  return { node: feasible[pickBest(totals, input.random ?? Math.random)].name, evaluated, feasible: feasible.length };
}

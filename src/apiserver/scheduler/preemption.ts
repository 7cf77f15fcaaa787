// Pure: kube-scheduler's DefaultPreemption PostFilter. When a pod fits no node, find the nodes
// where deleting lower-priority pods would let it fit, keep on each as few victims as possible
// (the most important ones reprieved first, pods a PodDisruptionBudget protects before others),
// and pick the node whose eviction hurts least: fewest budget violations, then the lowest highest
// victim priority, the smallest priority sum, the fewest victims, the latest started. The caller
// deletes the victims and nominates the node; the pod is scheduled once they are gone.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector } from '../../api/label-selector.js';
import { podPriority } from '../../api/priority.js';
import type { KubeObject } from '../../api/types.js';
import type { CycleContext, FilterFailure } from './framework.js';
import { NodeInfo } from './node-info.js';
import { filterNode, preFilter, unschedulableMessage } from './schedule-one.js';

export interface PreemptionInput {
  nodes: readonly NodeInfo[];
  antiAffinityPods: number;
  volumes?: CycleContext['volumes'];
  /** The cluster's PodDisruptionBudgets (their status.disruptionsAllowed), to spare the pods they protect. */
  budgets?: readonly KubeObject[];
  /** How many nodes the filters failed for reasons no eviction removes (from the scheduling attempt). */
  unresolvableNodes?: number;
}

export type PreemptionResult = { node: string; victims: Pod[] } | { node?: undefined; message: string };

const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const MIN_CANDIDATES_PERCENTAGE = 10;
const MIN_CANDIDATES_ABSOLUTE = 100;

const keyOf = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

/** PodEligibleToPreemptOthers: undefined when it may, else why not (kube-scheduler's words). */
export function preemptionIneligibility(pod: Pod, nodes: readonly NodeInfo[]): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    // Its victims are still going: wait for them instead of choosing more.
    const node = nodes.find((n) => n.name === nominated);
    const priority = podPriority(pod);
    for (const p of node?.pods.values() ?? []) {
      if (p.metadata?.deletionTimestamp && podPriority(p) < priority) return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

/** Whether `pod` fits `target` in a cluster where `target` stands for its node (preFilters and filters). */
function fitsOn(pod: Pod, target: NodeInfo, input: PreemptionInput): FilterFailure | undefined {
  const nodes = input.nodes.map((n) => (n.name === target.name ? target : n));
  const ctx: CycleContext = { nodes, antiAffinityPods: input.antiAffinityPods, state: new Map(), volumes: input.volumes };
  const filters = preFilter(pod, ctx);
  return Array.isArray(filters) ? filterNode(pod, target, filters, ctx) : filters;
}

function withoutPods(info: NodeInfo, removed: ReadonlySet<string>): NodeInfo {
  const copy = new NodeInfo(info.node);
  for (const [key, p] of info.pods) if (!removed.has(key)) copy.addPod(key, p);
  return copy;
}

function startTime(p: Pod): number {
  return Date.parse(p.status?.startTime ?? p.metadata?.creationTimestamp ?? '') || 0;
}

/** MoreImportantPod: higher priority first, then the one started earlier. */
function moreImportantFirst(a: Pod, b: Pod): number {
  return podPriority(b) - podPriority(a) || startTime(a) - startTime(b);
}

/** The pods (of `pods`) whose deletion would take a budget below its allowance, counting down as Kubernetes does. */
function budgetViolations(pods: readonly Pod[], budgets: readonly KubeObject[]): Set<string> {
  const allowed = budgets.map((b) => b.status?.disruptionsAllowed ?? 0);
  const violating = new Set<string>();
  for (const p of pods) {
    budgets.forEach((b, i) => {
      if (b.metadata.namespace !== p.metadata?.namespace || !b.spec?.selector) return;
      const selector = labelSelectorAsSelector(b.spec.selector);
      // A budget with an empty selector matches nothing here, as in kube-scheduler.
      if (selector.empty || !selector.matches(p.metadata?.labels ?? {})) return;
      // A pod the budget lists as disrupted already (an eviction the API server granted) is counted
      // in its disruptionsAllowed: counting it again would over-spend the budget.
      if (b.status?.disruptedPods?.[p.metadata!.name!] !== undefined) return;
      if (--allowed[i] < 0) violating.add(keyOf(p));
    });
  }
  return violating;
}

interface Candidate {
  node: string;
  victims: Pod[];
  violations: number;
}

/** SelectVictimsOnNode: undefined when removing every lower-priority pod would not be enough. */
function victimsOn(pod: Pod, info: NodeInfo, input: PreemptionInput): Candidate | undefined {
  const priority = podPriority(pod);
  const lower = [...info.pods.values()].filter((p) => podPriority(p) < priority && !p.metadata?.deletionTimestamp);
  if (lower.length === 0) return undefined;
  const removed = new Set(lower.map(keyOf));
  if (fitsOn(pod, withoutPods(info, removed), input)) return undefined;
  const violating = budgetViolations(lower, input.budgets ?? []);
  const ordered = lower.sort(moreImportantFirst);
  const victims: Pod[] = [];
  let violations = 0;
  // Reprieve as many as possible: budget-protected pods first, each the most important first.
  for (const group of [ordered.filter((p) => violating.has(keyOf(p))), ordered.filter((p) => !violating.has(keyOf(p)))]) {
    for (const p of group) {
      removed.delete(keyOf(p));
      if (!fitsOn(pod, withoutPods(info, removed), input)) continue;
      removed.add(keyOf(p));
      victims.push(p);
      if (violating.has(keyOf(p))) violations++;
    }
  }
  return { node: info.name, victims, violations };
}

/** pickOneNodeForPreemption. */
function better(a: Candidate, b: Candidate): boolean {
  if (a.violations !== b.violations) return a.violations < b.violations;
  const highest = (c: Candidate) => Math.max(...c.victims.map(podPriority));
  if (highest(a) !== highest(b)) return highest(a) < highest(b);
  // Priorities may be negative: each counts from the lowest possible, as Kubernetes sums them.
  const sum = (c: Candidate) => c.victims.reduce((s, p) => s + podPriority(p) + 2 ** 31, 0);
  if (sum(a) !== sum(b)) return sum(a) < sum(b);
  if (a.victims.length !== b.victims.length) return a.victims.length < b.victims.length;
  // The node whose most important victims started last loses the least work.
  const earliest = (c: Candidate) => Math.min(...c.victims.filter((p) => podPriority(p) === highest(c)).map(startTime));
  return earliest(a) > earliest(b);
}

export function preempt(pod: Pod, input: PreemptionInput): PreemptionResult {
  const ineligible = preemptionIneligibility(pod, input.nodes);
  if (ineligible) return { message: ineligible };
  const reasons = new Map<string, number>();
  const note = (reason: string, n = 1) => reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  // Most unschedulable pods have nothing below them to evict: say so without simulating every node.
  const priority = podPriority(pod);
  const hasLower = input.nodes.some((n) => [...n.pods.values()].some((p) => podPriority(p) < priority && !p.metadata?.deletionTimestamp));
  if (!hasLower && input.unresolvableNodes !== undefined) {
    if (input.unresolvableNodes) note(NOT_HELPFUL, input.unresolvableNodes);
    if (input.nodes.length - input.unresolvableNodes) note(NO_VICTIMS, input.nodes.length - input.unresolvableNodes);
    return { message: unschedulableMessage(input.nodes.length, reasons) };
  }
  const wanted = Math.min(input.nodes.length, Math.max(MIN_CANDIDATES_ABSOLUTE, Math.floor((input.nodes.length * MIN_CANDIDATES_PERCENTAGE) / 100)));
  let best: Candidate | undefined;
  let found = 0;
  for (const info of input.nodes) {
    if (found >= wanted) break;
    const failure = fitsOn(pod, info, input);
    // A node where the pod fits now needs no victims (the cluster changed since the filters ran).
    if (!failure) return { node: info.name, victims: [] };
    if (failure.unresolvable) {
      note(NOT_HELPFUL);
      continue;
    }
    const candidate = victimsOn(pod, info, input);
    if (!candidate) {
      note(NO_VICTIMS);
      continue;
    }
    found++;
    if (!best || better(candidate, best)) best = candidate;
  }
  if (best) return best;
  return { message: unschedulableMessage(input.nodes.length, reasons) };
}

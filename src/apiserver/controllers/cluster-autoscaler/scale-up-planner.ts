// Pure: cluster-autoscaler's scale-up decision. Pending pods that would fit on the nodes there are
// (or on nodes already asked for and still starting) need nothing. For the rest, each group below
// its maximum is an option: the pods that fit on an empty node of the group (its template) are
// packed first-fit-decreasing onto as few new nodes as they need (the binpacking estimator), up to
// the group's maximum. The option helping the most pods wins, then the one wasting least of its
// new nodes (the least-waste expander). Pods no option helps are told why, per group.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeGroupSpec } from '../../../api/node-groups.js';
import type { NodeInfo } from '../../scheduler/node-info.js';
import { podRequests } from '../../scheduler/resources.js';
import { ClusterSnapshot, podKey } from './cluster-snapshot.js';
import { templateNodeInfo } from './template-node.js';

export const MAX_SIZE_REACHED = 'max node group size reached';

export interface GroupState {
  spec: NodeGroupSpec;
  /** How many nodes the group has or has been asked for (cluster-autoscaler's target size). */
  target: number;
  /** Of those, how many have registered as Nodes. */
  registered: number;
  /** Of those, how many are Ready; the others take pods only once they are, so they count as still to come. */
  ready: number;
  /** A Ready node of the group to model new ones on, if any. */
  model?: NodeInfo;
}

export interface ScaleUpOption {
  group: string;
  from: number;
  to: number;
  max: number;
  /** Keys (namespace/name) of the pods the new nodes take. */
  pods: string[];
}

export interface ScaleUpPlan {
  scaleUp?: ScaleUpOption;
  /** Pods no group can help, with cluster-autoscaler's reason (`2 max node group size reached, …`). */
  notTriggered: Map<string, string>;
  /** Pods that fit on existing or upcoming nodes: no scale-up needed for them. */
  fitExisting: string[];
}

/** The order pods are packed in: biggest first (cpu share plus memory share of the template). */
function sizeOrder(pods: Pod[], template: NodeInfo): Pod[] {
  const size = (p: Pod) => {
    const r = podRequests(p);
    return r.milliCPU / Math.max(1, template.allocatable.milliCPU) + r.memory / Math.max(1, template.allocatable.memory);
  };
  return [...pods].sort((a, b) => size(b) - size(a));
}

/** The share of the new nodes' cpu and memory their pods leave unused (0 = none wasted). */
function waste(nodes: NodeInfo[]): number {
  let cpu = 0;
  let mem = 0;
  let cpuAll = 0;
  let memAll = 0;
  for (const n of nodes) {
    cpu += n.requested.milliCPU;
    mem += n.requested.memory;
    cpuAll += n.allocatable.milliCPU;
    memAll += n.allocatable.memory;
  }
  return (cpuAll ? 1 - cpu / cpuAll : 0) + (memAll ? 1 - mem / memAll : 0);
}

interface Estimate {
  option: ScaleUpOption;
  waste: number;
}

export function planScaleUp(pending: Pod[], nodes: readonly NodeInfo[], groups: GroupState[]): ScaleUpPlan {
  const snapshot = new ClusterSnapshot(nodes);
  // Nodes asked for and not Ready yet take pods as their group's template would.
  for (const g of groups) {
    for (let i = 0; i < g.target - g.ready; i++) snapshot.add(templateNodeInfo(g.spec, `${g.spec.name}-upcoming-${i}`, g.model));
  }
  const fitExisting: string[] = [];
  const remaining: Pod[] = [];
  for (const pod of pending) {
    if (snapshot.place(pod)) fitExisting.push(podKey(pod));
    else remaining.push(pod);
  }
  const reasons = new Map<string, Map<string, number>>();
  const noteReason = (pod: Pod, reason: string) => {
    const key = podKey(pod);
    let m = reasons.get(key);
    if (!m) reasons.set(key, (m = new Map()));
    m.set(reason, (m.get(reason) ?? 0) + 1);
  };
  const estimates: Estimate[] = [];
  for (const g of [...groups].sort((a, b) => a.spec.name.localeCompare(b.spec.name))) {
    const template = templateNodeInfo(g.spec, `template-node-for-${g.spec.name}`, g.model);
    const room = g.spec.max - g.target;
    const fitsTemplate: Pod[] = [];
    for (const pod of remaining) {
      const failed = snapshot.fit(pod)(template);
      if (failed) noteReason(pod, failed.reason);
      else if (room <= 0) noteReason(pod, MAX_SIZE_REACHED);
      else fitsTemplate.push(pod);
    }
    if (fitsTemplate.length === 0) continue;
    // A snapshot of its own per option, so one group's imagined nodes do not serve another's.
    const trial = new ClusterSnapshot(snapshot.nodes);
    const added: NodeInfo[] = [];
    const helped: string[] = [];
    for (const pod of sizeOrder(fitsTemplate, template)) {
      if (trial.place(pod, undefined, added)) {
        helped.push(podKey(pod));
        continue;
      }
      if (added.length >= room) continue;
      const node = templateNodeInfo(g.spec, `${g.spec.name}-new-${added.length}`, g.model);
      trial.add(node);
      added.push(node);
      if (trial.place(pod, undefined, [node])) helped.push(podKey(pod));
    }
    // Pods the group could hold, but not within its maximum.
    const held = new Set(helped);
    for (const pod of fitsTemplate) if (!held.has(podKey(pod))) noteReason(pod, MAX_SIZE_REACHED);
    estimates.push({ option: { group: g.spec.name, from: g.target, to: g.target + added.length, max: g.spec.max, pods: helped }, waste: waste(added) });
  }
  estimates.sort((a, b) => b.option.pods.length - a.option.pods.length || a.waste - b.waste);
  const best = estimates[0]?.option;
  const helpedSomewhere = new Set(estimates.flatMap((e) => e.option.pods));
  const notTriggered = new Map<string, string>();
  for (const pod of remaining) {
    const key = podKey(pod);
    if (helpedSomewhere.has(key)) continue;
    const parts = [...(reasons.get(key) ?? new Map<string, number>())].map(([reason, n]) => `${n} ${reason}`).sort();
    notTriggered.set(key, parts.length > 0 ? `pod didn't trigger scale-up: ${parts.join(', ')}` : "pod didn't trigger scale-up (it wouldn't fit if a new node is added)");
  }
  return { ...(best && best.to > best.from ? { scaleUp: best } : {}), notTriggered, fitExisting };
}

/** cluster-autoscaler's TriggeredScaleUp message: `pod triggered scale-up: [{workers 1->3 (max: 5)}]`. */
export function triggeredMessage(o: ScaleUpOption): string {
  return `pod triggered scale-up: [{${o.group} ${o.from}->${o.to} (max: ${o.max})}]`;
}

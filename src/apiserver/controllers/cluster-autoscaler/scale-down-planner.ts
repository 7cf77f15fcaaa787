// Pure: cluster-autoscaler's scale-down decision. A node of a group is unneeded when its pods'
// requests use less than the threshold (50%) of its allocatable cpu and of its memory, and every
// pod that would have to move fits on the other nodes (the scheduler's filters, in a simulation
// that keeps the pods already moved there). Once a node has been unneeded for the unneeded time
// (10 minutes by default) and its group is above its minimum, it is removed: empty nodes first,
// then the least used.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { NODE_GROUP_LABEL } from '../../../api/node-groups.js';
import type { NodeInfo } from '../../scheduler/node-info.js';
import { ClusterSnapshot } from './cluster-snapshot.js';
import { isDaemonSetPod, isReady, TO_BE_DELETED_TAINT } from './template-node.js';

export const SCALE_DOWN_DISABLED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';
export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

export interface ScaleDownInput {
  nodes: readonly NodeInfo[];
  /** Each group's size now (target) and minimum. */
  groups: Map<string, { target: number; min: number }>;
  /** When each node was first found unneeded, from the previous pass. */
  unneededSince: ReadonlyMap<string, number>;
  now: number;
  unneededTimeMs: number;
  /** --scale-down-utilization-threshold (0.5). */
  threshold: number;
}

export interface ScaleDownPlan {
  unneededSince: Map<string, number>;
  /** Why each group node is not unneeded (for the status and the logs). */
  blocked: Map<string, string>;
  /** The node to remove now, and the pods to evict from it. */
  remove?: { node: string; group: string; pods: Pod[] };
}

/** The pods that would have to go elsewhere: not DaemonSet pods (their copy leaves with the node), not mirror pods, not finished. */
export function podsToMove(info: NodeInfo): Pod[] {
  return [...info.pods.values()].filter(
    (p) => !isDaemonSetPod(p) && !p.metadata?.annotations?.[MIRROR_POD_ANNOTATION] && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
}

export function utilization(info: NodeInfo): number {
  const cpu = info.allocatable.milliCPU > 0 ? info.requested.milliCPU / info.allocatable.milliCPU : 0;
  const mem = info.allocatable.memory > 0 ? info.requested.memory / info.allocatable.memory : 0;
  return Math.max(cpu, mem);
}

function blocker(pod: Pod): string | undefined {
  if (pod.metadata?.annotations?.[SAFE_TO_EVICT_ANNOTATION] === 'false') return `pod ${pod.metadata.namespace}/${pod.metadata.name} is not safe to evict`;
  if (!(pod.metadata?.ownerReferences ?? []).some((r) => r.controller)) return `pod ${pod.metadata?.namespace}/${pod.metadata?.name} is not replicated`;
  return undefined;
}

export function planScaleDown(input: ScaleDownInput): ScaleDownPlan {
  let snapshot = new ClusterSnapshot(input.nodes);
  const unneededSince = new Map<string, number>();
  const blocked = new Map<string, string>();
  const leaving = new Set(input.nodes.filter((n) => (n.node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT)).map((n) => n.name));
  // Removable nodes are looked at emptiest first, so the space others' pods are moved into is the fullest nodes'.
  const candidates = input.nodes
    .filter((n) => n.labels[NODE_GROUP_LABEL] && input.groups.has(n.labels[NODE_GROUP_LABEL]) && !leaving.has(n.name))
    .sort((a, b) => utilization(a) - utilization(b) || a.name.localeCompare(b.name));
  for (const info of candidates) {
    const name = info.name;
    if (info.node.metadata?.annotations?.[SCALE_DOWN_DISABLED_ANNOTATION] === 'true') {
      blocked.set(name, 'scale-down disabled by annotation');
      continue;
    }
    if (!isReady(info.node)) {
      blocked.set(name, 'not ready');
      continue;
    }
    const used = utilization(info);
    if (used >= input.threshold) {
      blocked.set(name, `requests use ${Math.round(used * 100)}% of allocatable`);
      continue;
    }
    // With the pods of nodes found unneeded before it that the simulation moved here.
    const pods = podsToMove(snapshot.get(name) ?? info);
    const stuck = pods.map(blocker).find(Boolean);
    if (stuck) {
      blocked.set(name, stuck);
      continue;
    }
    // Tried on a copy: only a node whose pods all fit elsewhere keeps its placements.
    const trial = new ClusterSnapshot(snapshot.nodes);
    const exclude = new Set([...leaving, ...unneededSince.keys(), name]);
    // Moved as its controller would remake it: not bound anywhere yet.
    const homeless = pods.find((p) => !trial.place({ ...p, spec: { ...p.spec!, nodeName: undefined } }, exclude));
    if (homeless) {
      blocked.set(name, `pod ${homeless.metadata?.namespace}/${homeless.metadata?.name} fits on no other node`);
      continue;
    }
    snapshot = trial;
    unneededSince.set(name, input.unneededSince.get(name) ?? input.now);
  }
  let remove: ScaleDownPlan['remove'];
  const removable = candidates.filter((n) => {
    const since = unneededSince.get(n.name);
    return since !== undefined && input.now - since >= input.unneededTimeMs;
  });
  removable.sort((a, b) => podsToMove(a).length - podsToMove(b).length || utilization(a) - utilization(b) || a.name.localeCompare(b.name));
  for (const info of removable) {
    const group = info.labels[NODE_GROUP_LABEL];
    const g = input.groups.get(group)!;
    if (g.target <= g.min) {
      blocked.set(info.name, `node group ${group} is at its minimum size (${g.min})`);
      continue;
    }
    remove = { node: info.name, group, pods: podsToMove(info) };
    break;
  }
  return { unneededSince, blocked, ...(remove ? { remove } : {}) };
}

// Pod predicates and the order in which a ReplicaSet gives up pods, as Kubernetes' controller
// utilities define them (IsPodActive, IsPodReady, IsPodAvailable, ActivePodsWithRanks).
import type { KubeObject } from '../../../api/types.js';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** Counts toward replicas: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): { status: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds (Ready's lastTransitionTime tells since when). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 < now;
}

/** When a ready pod that is not yet available becomes available (ms since the epoch), if it will. */
export function availableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  if (!isPodReady(pod) || !minReadySeconds) return undefined;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  return Number.isNaN(since) ? undefined : since + minReadySeconds * 1000;
}

function readyTime(pod: KubeObject): number {
  if (!isPodReady(pod)) return 0;
  return Date.parse(readyCondition(pod)?.lastTransitionTime ?? '') || 0;
}

function deletionCost(pod: KubeObject): number {
  const value = pod.metadata.annotations?.[DELETION_COST_ANNOTATION];
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

function maxRestarts(pod: KubeObject): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s: { restartCount?: number }) => s.restartCount ?? 0));
}

/** log2 of the age in nanoseconds, -1 for no age: times in one bucket count as equally old (LogarithmicScaleDown). */
function logAge(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Newer first, an unset time before any; with a clock, by logarithmic buckets, then by UID. */
function newerFirst(a: KubeObject, b: KubeObject, ta: number, tb: number, now: number): number {
  if (!ta || !tb) return ta ? 1 : tb ? -1 : 0;
  const diff = logAge(ta, now) - logAge(tb, now);
  if (diff !== 0) return diff;
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

interface Ranked {
  pod: KubeObject;
  /** Active pods of the same family (ReplicaSets of one owner) on the pod's node. */
  rank: number;
}

/** Negative when `a` should go before `b` (ActivePodsWithRanks.Less). */
function compareForDeletion(a: Ranked, b: Ranked, now: number): number {
  const p = a.pod;
  const q = b.pod;
  const nodeP = p.spec?.nodeName ?? '';
  const nodeQ = q.spec?.nodeName ?? '';
  // 1. Unassigned before assigned.
  if (nodeP !== nodeQ && (!nodeP || !nodeQ)) return nodeP ? 1 : -1;
  // 2. Pending before Unknown before Running.
  const phaseP = PHASE_ORDINAL[p.status?.phase] ?? 0;
  const phaseQ = PHASE_ORDINAL[q.status?.phase] ?? 0;
  if (phaseP !== phaseQ) return phaseP - phaseQ;
  // 3. Not ready before ready.
  if (isPodReady(p) !== isPodReady(q)) return isPodReady(p) ? 1 : -1;
  // 4. Lower pod-deletion-cost first.
  const costP = deletionCost(p);
  const costQ = deletionCost(q);
  if (costP !== costQ) return costP - costQ;
  // 5. Doubled up on a node before alone.
  if (a.rank !== b.rank) return b.rank - a.rank;
  // 6. Ready for less time first.
  if (isPodReady(p) && isPodReady(q)) {
    const rp = readyTime(p);
    const rq = readyTime(q);
    if (rp !== rq) return newerFirst(p, q, rp, rq, now);
  }
  // 7. More container restarts first.
  const restartsP = maxRestarts(p);
  const restartsQ = maxRestarts(q);
  if (restartsP !== restartsQ) return restartsQ - restartsP;
  // 8. Newer first.
  const cp = Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  const cq = Date.parse(q.metadata.creationTimestamp ?? '') || 0;
  if (cp !== cq) return newerFirst(p, q, cp, cq, now);
  return 0;
}

/**
 * The `count` pods to delete when scaling down (getPodsToDelete): ranked by how many active pods of
 * the same family share their node, then in ActivePodsWithRanks order.
 */
export function podsToDelete(pods: readonly KubeObject[], related: readonly KubeObject[], count: number, now: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods
    .map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }))
    .sort((a, b) => compareForDeletion(a, b, now))
    .slice(0, count)
    .map((r) => r.pod);
}

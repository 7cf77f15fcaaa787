// Pure: whether a node is still heard from, what its conditions become when it is not, and which
// taints its conditions call for, as Kubernetes' node lifecycle controller decides them.
import type { NodeCondition, Taint } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../../api/timestamps.js';

/**
 * The last sign of life seen from a node, timed by this controller's own clock when it changed
 * (the node's clock and the stored times are never compared with ours, as in Kubernetes). A node
 * first seen now gets a whole grace period, so a daemon started after a pause marks nothing
 * stale before the agents had a chance to renew.
 */
export interface Heartbeat {
  leaseRenewTime?: string;
  readyHeartbeatTime?: string;
  observedAt: number;
}

/** The heartbeat after looking at the node's lease renewTime and Ready condition's lastHeartbeatTime at `now`. */
export function observeHeartbeat(previous: Heartbeat | undefined, leaseRenewTime: string | undefined, readyHeartbeatTime: string | undefined, now: number): Heartbeat {
  if (!previous) return { leaseRenewTime, readyHeartbeatTime, observedAt: now };
  const renewed = leaseRenewTime !== undefined && (previous.leaseRenewTime === undefined || Date.parse(leaseRenewTime) > Date.parse(previous.leaseRenewTime));
  const reported = readyHeartbeatTime !== previous.readyHeartbeatTime;
  if (!renewed && !reported) return previous;
  return { leaseRenewTime: renewed ? leaseRenewTime : previous.leaseRenewTime, readyHeartbeatTime, observedAt: now };
}

/** When the node counts as gone silent (ms since the epoch). */
export function staleAt(h: Heartbeat, gracePeriodMs: number): number {
  return h.observedAt + gracePeriodMs;
}

/** The conditions the kubelet owns; all become Unknown when it stops posting. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The conditions of a node whose kubelet went silent: each kubelet condition Unknown with
 * Kubernetes' reason and message (its heartbeat time left as the kubelet last wrote it); one that
 * was never posted is added as never updated. Undefined when nothing changes.
 */
export function silentNodeConditions(conditions: readonly NodeCondition[] | undefined, creationTimestamp: string | undefined, now: number): NodeCondition[] | undefined {
  const at = rfc3339(new Date(now));
  const out = (conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const c = out.find((x) => x.type === type);
    if (!c) {
      out.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: creationTimestamp, lastTransitionTime: at });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at });
      changed = true;
    }
  }
  return changed ? out : undefined;
}

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Condition type -> status -> the NoSchedule taint it calls for (nodeConditionToTaintKeyStatusMap). */
const NO_SCHEDULE_BY_CONDITION: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY, Unknown: UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const NO_EXECUTE_BY_READY: Record<string, string> = { False: NOT_READY, Unknown: UNREACHABLE };

const MANAGED_NO_SCHEDULE = new Set([...Object.values(NO_SCHEDULE_BY_CONDITION).flatMap((m) => Object.values(m)), UNSCHEDULABLE]);
const MANAGED_NO_EXECUTE = new Set(Object.values(NO_EXECUTE_BY_READY));

function managed(t: Taint): boolean {
  return (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key)) || (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.has(t.key));
}

export interface NodeShape {
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { conditions?: NodeCondition[] };
}

/**
 * The node's taints as its conditions and spec.unschedulable call for: the controller's own taints
 * added (timeAdded now) or removed, everyone else's kept in place. Undefined when nothing changes.
 */
export function desiredTaints(node: NodeShape, now: number): Taint[] | undefined {
  const wanted: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = NO_SCHEDULE_BY_CONDITION[c.type]?.[c.status];
    if (key) wanted.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const noExecute = ready ? NO_EXECUTE_BY_READY[ready.status] : undefined;
  if (noExecute) wanted.push({ key: noExecute, effect: 'NoExecute' });

  const current = node.spec?.taints ?? [];
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const kept = current.filter((t) => !managed(t) || wanted.some((w) => same(w, t)));
  const added = wanted.filter((w) => !current.some((t) => same(t, w))).map((w) => ({ ...w, timeAdded: rfc3339(new Date(now)) }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

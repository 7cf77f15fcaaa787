// Pure: a DaemonSet's status from its nodes and pods, as Kubernetes' updateDaemonSetStatus counts
// it (the oldest live pod of each node stands for that node).
import type { KubeObject } from '../../../api/types.js';
import { isPodAvailable, isPodReady } from '../replicaset/active-pods.js';
import type { NodeMap } from './node-pods.js';
import { isUpdated } from './sync-plan.js';

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

export function calculateStatus(ds: KubeObject, map: NodeMap, hash: string, now: number): DaemonSetStatus {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const n of map.nodes) {
    const live = n.pods.filter((p) => !p.metadata.deletionTimestamp);
    if (n.shouldRun) desired++;
    if (!live.length) continue;
    if (!n.shouldRun) {
      misscheduled++;
      continue;
    }
    current++;
    const pod = live[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
    if (isUpdated(pod, hash)) updated++;
  }
  // The four counts without omitempty in Kubernetes' types are always written; the rest only when set.
  const status: DaemonSetStatus = { currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready };
  if (ds.metadata.generation) status.observedGeneration = ds.metadata.generation;
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (desired - available > 0) status.numberUnavailable = desired - available;
  if (ds.status?.collisionCount) status.collisionCount = ds.status.collisionCount;
  if (ds.status?.conditions?.length) status.conditions = ds.status.conditions;
  return status;
}

export function statusChanged(ds: KubeObject, status: DaemonSetStatus): boolean {
  const stored: Record<string, unknown> = { ...(ds.status ?? {}) };
  for (const k of Object.keys(stored)) if (stored[k] === 0 && !(k in status)) delete stored[k];
  const canonical = (o: Record<string, unknown>) => JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
  return canonical(stored) !== canonical(status as unknown as Record<string, unknown>);
}

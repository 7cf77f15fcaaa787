// A Deployment's status as Kubernetes' deployment controller computes it: the counts summed over
// its ReplicaSets, the Available condition, and the Progressing condition with its deadline
// (calculateStatus, the decisions of syncRolloutStatus and requeueStuckDeployment, and the
// deploymentutil condition helpers). Pure: time comes in as `now`.
import { rfc3339 } from '../../../api/timestamps.js';
import type { KubeObject } from '../../../api/types.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  maxUnavailable,
  readyReplicaCount,
  replicasOf,
  specReplicaCount,
} from './rollout-math.js';

type Deployment = KubeObject;
type ReplicaSet = KubeObject;

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';
export const REPLICA_FAILURE = 'ReplicaFailure';

/** Kubernetes' reasons for the Deployment conditions. */
export const Reason = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** Math.MaxInt32 progressDeadlineSeconds means "no deadline", as in Kubernetes. */
const NO_DEADLINE = 2 ** 31 - 1;

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== NO_DEADLINE;
}

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(new Date(now));
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: the same status and reason change nothing; the same status keeps its
 * lastTransitionTime; the condition moves to the end of the list.
 */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  if (current && current.status === condition.status) condition = { ...condition, lastTransitionTime: current.lastTransitionTime };
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}

/** Go's omitempty: zero counts, no conditions and an unset collision count are left out. */
export function normalizeStatus(s: DeploymentStatus | undefined): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const key of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (s?.[key]) out[key] = s[key];
  }
  if (s?.conditions?.length) out.conditions = s.conditions;
  if (s?.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return JSON.stringify(normalizeStatus(a)) === JSON.stringify(normalizeStatus(b));
}

/** calculateStatus: counts from the ReplicaSets, conditions carried over, Available set. */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  // More available than wanted (scaling down) is not negative unavailability.
  const unavailable = Math.max(0, specReplicaCount(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: [...(d.status?.conditions ?? [])],
    collisionCount: d.status?.collisionCount,
  };
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return normalizeStatus(status);
}

/** All replicas updated and available, no old pods left, and the latest spec observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const desired = replicasOf(d);
  return (s.updatedReplicas ?? 0) === desired && (s.replicas ?? 0) === desired && (s.availableReplicas ?? 0) === desired && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Progress since the stored status: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress reported for progressDeadlineSeconds (or the timeout already recorded). */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, PROGRESSING);
  if (!c || c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  return Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds * 1000 < now;
}

/** ReplicaFailure conditions of the ReplicaSets, the new one's first (getReplicaFailures). */
function replicaFailure(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = (rs?.status?.conditions ?? []).find((x: { type: string }) => x.type === REPLICA_FAILURE);
    if (c) return { type: REPLICA_FAILURE, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/** The status syncRolloutStatus writes: calculateStatus plus the Progressing and ReplicaFailure conditions. */
export function rolloutStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(PROGRESSING, 'True', Reason.NewRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress renews lastUpdateTime even with the same reason (which setCondition would not).
      let condition = newCondition(PROGRESSING, 'True', Reason.ReplicaSetUpdated, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') condition = { ...condition, lastTransitionTime: current.lastTransitionTime };
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition(PROGRESSING, 'False', Reason.TimedOut, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);
  return normalizeStatus(status);
}

/**
 * When to look again for the progress deadline (requeueStuckDeployment): undefined when there is
 * nothing to wait for, else the delay in ms.
 */
export function progressCheckDelay(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const c = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, s) || c.reason === Reason.TimedOut) return undefined;
  const after = Date.parse(c.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds * 1000 - now;
  // A second more, against millisecond skew (as Kubernetes adds); a deadline already passed is
  // checked again after a second (Kubernetes' rate-limited requeue), never in a tight loop.
  return after < 1000 ? 1000 : after + 1000;
}

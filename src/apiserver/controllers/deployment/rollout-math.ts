// The arithmetic of a rollout, as Kubernetes' deploymentutil does it: maxSurge and maxUnavailable
// resolved against the desired replicas, how far the new ReplicaSet may grow, how a scaling of the
// Deployment is shared out among its ReplicaSets, and the counts summed over ReplicaSets.
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, byCreation } from '../../../api/deployment-revisions.js';
import type { KubeObject } from '../../../api/types.js';

type Deployment = KubeObject;
type ReplicaSet = KubeObject;
export type IntOrString = number | string | undefined;

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, a percentage of `total` rounded up
 * (surge) or down (unavailability).
 */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas. Should both resolve to 0
 * (validation forbids it explicitly, rounding down can still get there), one pod may be unavailable.
 */
export function resolveFenceposts(maxSurge: IntOrString, maxUnavailable: IntOrString, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function replicasOf(obj: KubeObject | undefined): number {
  return obj?.spec?.replicas ?? 1;
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: Deployment): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return Math.min(resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desired)[1], desired);
}

/** How many replicas the new ReplicaSet should have now (NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const desired = replicasOf(d);
  if (d.spec?.strategy?.type === 'Recreate') return desired;
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge, desired, true);
  const current = specReplicaCount(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, desired - replicasOf(newRS));
}

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export function specReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}

function statusSum(rss: readonly (ReplicaSet | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);
}

/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => statusSum(rss, 'replicas');
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => statusSum(rss, 'readyReplicas');
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]) => statusSum(rss, 'availableReplicas');

/** ReplicaSets that want pods (FilterActiveReplicaSets). */
export function activeReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => !!rs && replicasOf(rs) > 0);
}

function annotationInt(rs: ReplicaSet, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return annotationInt(rs, DESIRED_REPLICAS_ANNOTATION);
}

/** The new ReplicaSet has all the replicas, knows it, and all are available (IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  return desired !== undefined && replicasOf(rs) === replicasOf(d) && desired === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/**
 * The one ReplicaSet to give the Deployment's size to when only one has replicas, or the newest
 * when none has (FindActiveOrLatest); undefined when several have replicas.
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** Larger first; among equals older first (scaling down) or newer first (scaling up). */
export function bySizeThenAge(newerFirst: boolean): (a: ReplicaSet, b: ReplicaSet) => number {
  return (a, b) => replicasOf(b) - replicasOf(a) || (newerFirst ? byCreation(b, a) : byCreation(a, b));
}

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** The share of a Deployment's scaling that falls to one ReplicaSet (getReplicaSetFraction). */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const maxReplicas = replicasOf(d) + maxSurge(d);
  let before = annotationInt(rs, MAX_REPLICAS_ANNOTATION) ?? 0;
  if (!before) {
    // The annotation was removed by hand: the Deployment's current size stands in.
    before = d.status?.replicas ?? 0;
    if (!before) return 0;
  }
  return roundHalfAway((replicasOf(rs) * maxReplicas) / before) - replicasOf(rs);
}

/** GetProportion: how many replicas to add to (or remove from) `rs`, bounded by what is left to add. */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * Proportional scaling of a RollingUpdate Deployment whose size changed in the middle of a rollout
 * (the part of DeploymentController.scale that shares out the change): the new size of each active
 * ReplicaSet and the direction.
 */
export function proportionalSizes(d: Deployment, active: readonly ReplicaSet[]): { sizes: Map<ReplicaSet, number>; direction: 'up' | 'down' | undefined; order: ReplicaSet[] } {
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaCount(active);
  const direction = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : undefined;
  const order = direction ? [...active].sort(bySizeThenAge(direction === 'up')) : [...active];
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of order) {
    if (toAdd === 0) {
      sizes.set(rs, replicasOf(rs));
      continue;
    }
    const p = proportion(rs, d, toAdd, added);
    sizes.set(rs, replicasOf(rs) + p);
    added += p;
  }
  // Leftovers (from rounding) go to the largest.
  if (toAdd !== 0 && order.length) sizes.set(order[0], Math.max(0, sizes.get(order[0])! + toAdd - added));
  return { sizes, direction, order };
}

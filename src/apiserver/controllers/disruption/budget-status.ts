// The arithmetic of Kubernetes' disruption controller (pkg/controller/disruption): how many pods a
// budget expects and needs healthy, which evictions it still waits to see, how many pods are
// healthy, and the status that follows.
import { isPodReady, withDisruptionAllowedCondition } from '../../../api/disruption-budget.js';
import type { KubeObject } from '../../../api/types.js';
import { scaledValue } from '../deployment/rollout-math.js';

/** An eviction the API server allowed is expected to delete its pod within this time (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

/** The controller of a pod and how many replicas it wants; 'unmanaged' for a pod without a controller. */
export type ControllerScale = { uid: string; replicas: number } | 'unmanaged' | undefined;

export class ExpectedCountError extends Error {}

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/**
 * getExpectedScale: the sum of the scales of the pods' controllers. A pod whose controller is of
 * no kind with a scale (or is gone) makes the count fail; unmanaged pods are only reported.
 */
function expectedScale(pods: KubeObject[], scaleOf: (pod: KubeObject) => ControllerScale): { count: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const scale = scaleOf(pod);
    if (scale === 'unmanaged') unmanagedPods.push(pod.metadata.name!);
    else if (!scale) throw new ExpectedCountError(`found no controllers for pod "${pod.metadata.name}"`);
    else scales.set(scale.uid, scale.replicas);
  }
  let count = 0;
  for (const n of scales.values()) count += n;
  return { count, unmanagedPods };
}

function scaled(value: number | string, total: number): number {
  try {
    return scaledValue(value, total, true);
  } catch (err) {
    throw new ExpectedCountError((err as Error).message);
  }
}

/** getExpectedPodCount: maxUnavailable and percentages count against the controllers' scale, an integer minAvailable against the pods. */
export function expectedPodCount(pdb: KubeObject, pods: KubeObject[], scaleOf: (pod: KubeObject) => ControllerScale): ExpectedCount {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable != null) {
    const { count, unmanagedPods } = expectedScale(pods, scaleOf);
    return { expectedCount: count, desiredHealthy: Math.max(0, count - scaled(maxUnavailable, count)), unmanagedPods };
  }
  if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable, unmanagedPods: [] };
  if (typeof minAvailable === 'string') {
    const { count, unmanagedPods } = expectedScale(pods, scaleOf);
    return { expectedCount: count, desiredHealthy: scaled(minAvailable, count), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * buildDisruptedPodMap: the evictions still pending, those whose pod is neither deleting yet nor
 * overdue (an overdue one is dropped: the pod counts as healthy again), and when to look again.
 */
export function pendingDisruptions(pdb: KubeObject, pods: KubeObject[], now: number): { disrupted: Record<string, string>; recheckAt?: number } {
  const recorded: Record<string, string> = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || !(name in recorded)) continue;
    const expectedDeletion = Date.parse(recorded[name]) + DELETION_TIMEOUT_MS;
    if (!(expectedDeletion >= now)) continue;
    disrupted[name] = recorded[name];
    if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
  }
  return { disrupted, recheckAt };
}

/** countHealthyPods: ready pods that are neither being deleted nor about to be. */
export function countHealthy(pods: KubeObject[], disrupted: Record<string, string>): number {
  return pods.filter((p) => !p.metadata.deletionTimestamp && !(p.metadata.name! in disrupted) && isPodReady(p)).length;
}

export interface ObservedCounts extends ExpectedCount {
  currentHealthy: number;
  disrupted: Record<string, string>;
}

/**
 * The status updatePdbStatus writes. No disruption is allowed while the budget expects no pods:
 * pods that appear before the next sync must not find it open.
 */
export function budgetStatus(pdb: KubeObject, observed: ObservedCounts, now: Date): any {
  const { currentHealthy, desiredHealthy, expectedCount, disrupted } = observed;
  const allowed = currentHealthy - desiredHealthy;
  const status: any = {
    observedGeneration: pdb.metadata.generation ?? 1,
    disruptionsAllowed: expectedCount <= 0 || allowed <= 0 ? 0 : allowed,
    currentHealthy,
    desiredHealthy,
    expectedPods: expectedCount,
    conditions: pdb.status?.conditions ?? [],
  };
  if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
  withDisruptionAllowedCondition(status, now);
  return status;
}

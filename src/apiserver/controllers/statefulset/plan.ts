// What one sync of a StatefulSet does (Kubernetes' updateStatefulSet), without the writes: create
// missing pods in ordinal order and replace failed ones, delete pods beyond `replicas` from the
// highest ordinal, then (RollingUpdate) delete the highest pod not at the update revision, down to
// the partition. OrderedReady stops at the first pod that is not Running and Ready, and acts on one
// pod at a time; Parallel creates and deletes all at once. Updates go one pod at a time either way.
import type { KubeObject } from '../../../api/types.js';
import { isPodAvailable, isPodReady } from '../replicaset/active-pods.js';
import { ordinalOf, revisionOf, startOrdinal } from './identity.js';

export type Action =
  | { type: 'create'; ordinal: number; /** Whose template: below the partition the current revision's. */ revision: 'current' | 'update' }
  | { type: 'delete'; pod: KubeObject; reason: 'failed' | 'condemned' | 'update' };

function terminating(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

function finished(pod: KubeObject): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

function runningAndReady(pod: KubeObject): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isHealthy(pod: KubeObject): boolean {
  return runningAndReady(pod) && !terminating(pod);
}

/** The set's pods split into those at ordinals it keeps (by ordinal) and the condemned, highest first. */
export function splitPods(set: KubeObject, pods: readonly KubeObject[]): { replicas: Map<number, KubeObject>; condemned: KubeObject[] } {
  const start = startOrdinal(set);
  const end = start + (set.spec?.replicas ?? 1);
  const replicas = new Map<number, KubeObject>();
  const condemned: Array<{ ordinal: number; pod: KubeObject }> = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal === undefined) continue;
    if (ordinal >= start && ordinal < end) replicas.set(ordinal, pod);
    else condemned.push({ ordinal, pod });
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  return { replicas, condemned: condemned.map((c) => c.pod) };
}

function partition(set: KubeObject): number {
  return set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
}

export function planSync(set: KubeObject, pods: readonly KubeObject[], updateRevision: string, now: number): Action[] {
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const minReadySeconds = set.spec?.minReadySeconds ?? 0;
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  const start = startOrdinal(set);
  const replicaCount = set.spec?.replicas ?? 1;
  const { replicas, condemned } = splitPods(set, pods);
  const actions: Action[] = [];

  for (let ordinal = start; ordinal < start + replicaCount; ordinal++) {
    const pod = replicas.get(ordinal);
    if (!pod) {
      actions.push({ type: 'create', ordinal, revision: rolling && ordinal - start < partition(set) ? 'current' : 'update' });
      if (monotonic) return actions;
      continue;
    }
    if (finished(pod) && !terminating(pod)) {
      actions.push({ type: 'delete', pod, reason: 'failed' });
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && (terminating(pod) || !runningAndReady(pod) || !isPodAvailable(pod, minReadySeconds, now))) return actions;
  }

  const firstUnhealthy = [...[...replicas.values()], ...condemned].find((p) => !isHealthy(p));
  for (const pod of condemned) {
    if (terminating(pod)) {
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && firstUnhealthy && firstUnhealthy !== pod) return actions;
    actions.push({ type: 'delete', pod, reason: 'condemned' });
    if (monotonic) return actions;
  }

  if (!rolling) return actions;
  const acted = new Set(actions.map((a) => (a.type === 'delete' ? a.pod : undefined)));
  for (let ordinal = start + replicaCount - 1; ordinal >= start + partition(set); ordinal--) {
    const pod = replicas.get(ordinal);
    // A pod created or replaced in this sync is not ready yet: wait for it.
    if (!pod || acted.has(pod)) return actions;
    if (revisionOf(pod) !== updateRevision && !terminating(pod)) {
      actions.push({ type: 'delete', pod, reason: 'update' });
      return actions;
    }
    if (!isHealthy(pod)) return actions;
  }
  return actions;
}

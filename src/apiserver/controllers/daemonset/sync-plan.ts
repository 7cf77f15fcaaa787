// Pure: what one DaemonSet sync creates and deletes, as Kubernetes' manage and rollingUpdate decide
// it. manage puts a pod on every node that should run one and removes failed, finished and extra
// pods and pods on nodes that no longer take them (or no longer exist). Only when manage has
// nothing to do (Kubernetes runs rollingUpdate once its expectations are met) does RollingUpdate
// move old-template pods: without surge it deletes them while at most maxUnavailable nodes lack an
// available pod (manage creates the replacements next); with maxSurge it creates the new pod on a
// node beside the old one, at most maxSurge at a time, and deletes the old once the new is available.
import type { KubeObject } from '../../../api/types.js';
import { scaledValue } from '../deployment/rollout-math.js';
import { isPodAvailable, isPodReady } from '../replicaset/active-pods.js';
import { REVISION_HASH_LABEL } from './daemon-pod.js';
import type { NodeMap, NodePods } from './node-pods.js';

export interface SyncPlan {
  /** Names of the nodes to create a pod for. */
  createOn: string[];
  delete: KubeObject[];
}

const terminating = (pod: KubeObject) => !!pod.metadata.deletionTimestamp;
const finished = (pod: KubeObject) => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';

export function isUpdated(pod: KubeObject, hash: string): boolean {
  return pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;
}

function rollingUpdateOf(ds: KubeObject): { maxUnavailable?: number | string; maxSurge?: number | string } | undefined {
  return ds.spec?.updateStrategy?.type === 'RollingUpdate' || !ds.spec?.updateStrategy?.type ? (ds.spec?.updateStrategy?.rollingUpdate ?? {}) : undefined;
}

/** SurgeCount: maxSurge for `desired` nodes (a percentage rounds up); 0 unless RollingUpdate. */
export function maxSurge(ds: KubeObject, desired: number): number {
  const rolling = rollingUpdateOf(ds);
  return rolling ? scaledValue(rolling.maxSurge ?? 0, desired, true) : 0;
}

/** AllowsSurge: the strategy lets a node run an old and a new pod side by side. */
export function allowsSurge(ds: KubeObject): boolean {
  return maxSurge(ds, 1) !== 0;
}

/** UnavailableCount: maxUnavailable for `desired` nodes, a percentage rounding up (defaulted to 1). */
export function maxUnavailable(ds: KubeObject, desired: number): number {
  const rolling = rollingUpdateOf(ds);
  return rolling ? scaledValue(rolling.maxUnavailable ?? 1, desired, true) : 0;
}

export function planSync(ds: KubeObject, map: NodeMap, hash: string, now: number): SyncPlan {
  const plan = manage(ds, map, hash, now);
  if (plan.createOn.length || plan.delete.length) return plan;
  if (rollingUpdateOf(ds)) return rollingUpdate(ds, map, hash, now);
  return plan;
}

/** podsShouldBeOnNode over every node. */
function manage(ds: KubeObject, map: NodeMap, hash: string, now: number): SyncPlan {
  const plan: SyncPlan = { createOn: [], delete: map.orphaned.filter((p) => !terminating(p)) };
  const surge = allowsSurge(ds);
  for (const n of map.nodes) {
    const live = n.pods.filter((p) => !terminating(p));
    if (!n.shouldContinueRunning) {
      plan.delete.push(...live);
      continue;
    }
    // Without surge a pod still terminating holds the node: its replacement waits for it to go.
    if (n.pods.length === 0) {
      if (n.shouldRun) plan.createOn.push(n.node.metadata.name!);
      continue;
    }
    // Failed and finished pods are deleted; their replacement comes once the deletion is seen.
    plan.delete.push(...live.filter(finished));
    const running = live.filter((p) => !finished(p));
    if (!surge) {
      // More than one daemon pod on a node: the oldest stays.
      plan.delete.push(...running.slice(1));
      continue;
    }
    if (running.length === 0) {
      if (n.shouldRun) plan.createOn.push(n.node.metadata.name!);
      continue;
    }
    // Two pods may share a node only while the oldest new one is not yet available and the oldest
    // old one still ready; everything else goes.
    let oldestNew: KubeObject | undefined;
    let oldestOld: KubeObject | undefined;
    for (const pod of running) {
      if (isUpdated(pod, hash) && !oldestNew) oldestNew = pod;
      else if (!isUpdated(pod, hash) && !oldestOld) oldestOld = pod;
      else plan.delete.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now))) plan.delete.push(oldestOld);
  }
  return plan;
}

/** findUpdatedPodsOnNode: the node's one new and one old live pod, or undefined when it has more. */
function updatedPodsOnNode(n: NodePods, hash: string): { newPod?: KubeObject; oldPod?: KubeObject } | undefined {
  let newPod: KubeObject | undefined;
  let oldPod: KubeObject | undefined;
  for (const pod of n.pods) {
    if (terminating(pod)) continue;
    if (isUpdated(pod, hash)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

function rollingUpdate(ds: KubeObject, map: NodeMap, hash: string, now: number): SyncPlan {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const available = (pod: KubeObject) => isPodAvailable(pod, minReadySeconds, now);
  const desired = map.nodes.filter((n) => n.shouldRun).length;
  const surge = maxSurge(ds, desired);
  let unavailableBudget = maxUnavailable(ds, desired);
  // A strategy resolving to no surge and no unavailability (0% of few nodes) still moves one node at a time.
  if (desired > 0 && surge === 0 && unavailableBudget === 0) unavailableBudget = 1;
  // As Kubernetes, only nodes holding pods count: a node without one is manage's to fill.
  const withPods = map.nodes.filter((n) => n.pods.length > 0);
  if (surge === 0) {
    let unavailable = 0;
    const replacements: KubeObject[] = [];
    const candidates: KubeObject[] = [];
    for (const n of withPods) {
      const found = updatedPodsOnNode(n, hash);
      if (!found || (!found.newPod && !found.oldPod) || (found.newPod && found.oldPod)) {
        unavailable++;
        continue;
      }
      if (found.newPod) {
        if (!available(found.newPod)) unavailable++;
      } else if (!available(found.oldPod!)) {
        // An old pod that is not available costs nothing to replace.
        replacements.push(found.oldPod!);
        unavailable++;
      } else if (unavailable < unavailableBudget) candidates.push(found.oldPod!);
    }
    const room = Math.min(Math.max(0, unavailableBudget - unavailable), candidates.length);
    return { createOn: [], delete: [...replacements, ...candidates.slice(0, room)] };
  }
  const plan: SyncPlan = { createOn: [], delete: [] };
  const shouldNotRun: KubeObject[] = [];
  const candidates: string[] = [];
  let surging = 0;
  let availableNodes = 0;
  for (const n of withPods) {
    const found = updatedPodsOnNode(n, hash);
    if (!found) {
      surging++;
      continue;
    }
    const { newPod, oldPod } = found;
    const counted = oldPod ?? newPod;
    if (counted && available(counted)) availableNodes++;
    if (!oldPod) continue;
    const name = n.node.metadata.name!;
    if (!newPod) {
      if (!available(oldPod)) {
        // An unavailable old pod is replaced at once, outside the surge budget (or removed where it may no longer run).
        if (n.shouldRun) plan.createOn.push(name);
        else plan.delete.push(oldPod);
      } else if (!n.shouldRun) shouldNotRun.push(oldPod);
      else if (surging < surge) candidates.push(name);
      continue;
    }
    // The node has surged: the old pod goes once the new one is available.
    if (available(newPod)) plan.delete.push(oldPod);
    else surging++;
  }
  // Pods on nodes the DaemonSet no longer runs on go only while enough pods elsewhere are available.
  const deletable = Math.min(Math.max(0, availableNodes - desired), shouldNotRun.length);
  plan.delete.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, surge - surging), candidates.length);
  plan.createOn.push(...candidates.slice(0, room));
  return plan;
}

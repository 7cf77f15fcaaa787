// The cluster autoscaler, as Kubernetes' cluster-autoscaler: each pass (run when pods or nodes
// change, and when a timer it set comes due) looks at the pods the scheduler found Unschedulable
// and the groups' nodes, asks the provider for new nodes where pods would fit on them
// (scale-up-planner.ts), and removes nodes that have been unneeded long enough
// (scale-down-planner.ts): tainted ToBeDeletedByClusterAutoscaler, drained through the eviction
// subresource (so PodDisruptionBudgets are honoured; a refused eviction is tried again), stopped by
// the provider and deleted. Every decision is an Event (TriggeredScaleUp / NotTriggerScaleUp on
// the pods, ScaleDown on the node and its pods) and the kube-system/cluster-autoscaler-status
// ConfigMap says where each group stands.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { NODE_GROUP_LABEL, type NodeGroupSpec } from '../../../api/node-groups.js';
import { findByKind } from '../../../api/resources.js';
import { rfc3339 } from '../../../api/timestamps.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { NodeInfo } from '../../scheduler/node-info.js';
import { STATUS_CONFIGMAP, statusText, type GroupStatus, type TransitionTimes } from './autoscaler-status.js';
import type { NodeGroupProvider } from './node-group-provider.js';
import { planScaleDown, podsToMove } from './scale-down-planner.js';
import { planScaleUp, triggeredMessage, type GroupState } from './scale-up-planner.js';
import { isReady, TO_BE_DELETED_TAINT } from './template-node.js';

const PODS = findByKind('Pod')!;
const NODES = findByKind('Node')!;
const CONFIGMAPS = findByKind('ConfigMap')!;
const KEY = 'cluster';
/** Changes arriving together (a Deployment's hundred pods) are looked at in one pass. */
const BATCH_MS = 500;
/** How soon a refused eviction (a PodDisruptionBudget) is tried again. */
const EVICTION_RETRY_MS = 5_000;

export interface ClusterAutoscalerOptions {
  groups: NodeGroupSpec[];
  /** --scale-down-unneeded-time (10 min): how long a node must be unneeded before it goes. */
  scaleDownUnneededTimeMs: number;
  /** --scale-down-delay-after-add (10 min): no node is removed this soon after a scale-up. */
  scaleDownDelayAfterAddMs: number;
  /** --scale-down-utilization-threshold (0.5). */
  scaleDownUtilizationThreshold: number;
  /** --max-node-provision-time (15 min): a node asked for and not registered by then is given up. */
  maxNodeProvisionTimeMs: number;
  /** --max-pod-eviction-time (2 min): a drain not done by then is abandoned and the node kept. */
  maxPodEvictionTimeMs: number;
}

interface GroupRuntime {
  target: number;
  /** When the last nodes were asked for. */
  requestedAt: number;
}

interface Removal {
  group: string;
  startedAt: number;
  /** Pods (by uid) whose eviction may be sent (again) at the time given. */
  nextEviction: Map<string, number>;
}

function isUnschedulable(pod: Pod): boolean {
  if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return false;
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable';
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function ref(obj: Pod | Node, kind: 'Pod' | 'Node') {
  return referenceTo({ ...(obj as KubeObject), apiVersion: 'v1', kind });
}

export class ClusterAutoscaler {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly groups = new Map<string, GroupRuntime>();
  private lastScaleUpAt = -Infinity;
  private unneededSince = new Map<string, number>();
  private readonly removals = new Map<string, Removal>();
  /** The NotTriggerScaleUp message each pending pod was last given, so a pass repeats none. */
  private readonly told = new Map<string, string>();
  private readonly times: TransitionTimes = new Map();
  private lastStatus = '';

  constructor(
    private readonly client: ApiClient,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly provider: NodeGroupProvider,
    private readonly opts: ClusterAutoscalerOptions,
    private readonly log: (msg: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.recorder = new EventRecorder(client, { component: 'cluster-autoscaler' }, log);
    this.queue = new WorkQueue(() => this.sync(), (_key, err) => log(`cluster-autoscaler: ${(err as Error).message}`), { name: 'cluster-autoscaler', workers: 1 });
    const changed = () => this.queue.addAfter(KEY, BATCH_MS);
    nodes.addHandlers({ add: changed, update: changed, delete: changed });
    pods.addHandlers({
      add: changed,
      update: changed,
      delete: (p) => {
        this.told.delete(p.metadata.uid!);
        changed();
      },
    });
  }

  async sync(): Promise<void> {
    await Promise.all([this.pods.hasSynced(), this.nodes.hasSynced()]);
    const now = this.now();
    const infos = new Map<string, NodeInfo>();
    for (const n of this.nodes.list()) infos.set(n.metadata.name!, new NodeInfo(n as Node));
    const pending: Pod[] = [];
    for (const obj of this.pods.list()) {
      const pod = obj as Pod;
      if (pod.spec?.nodeName) {
        if (!isTerminal(pod)) infos.get(pod.spec.nodeName)?.addPod(objectKey(obj), pod);
      } else if (isUnschedulable(pod)) pending.push(pod);
    }
    const groupStates = this.groupStates(infos, now);
    await this.continueRemovals(infos, now);
    const nodeList = [...infos.values()];

    const up = planScaleUp(pending, nodeList, groupStates);
    for (const pod of pending) {
      const key = objectKey(pod as KubeObject);
      const message = up.notTriggered.get(key);
      if (message && this.told.get(pod.metadata!.uid!) !== message) {
        this.told.set(pod.metadata!.uid!, message);
        this.recorder.event(ref(pod, 'Pod'), 'Normal', 'NotTriggerScaleUp', message);
      }
    }
    if (up.scaleUp) this.scaleUp(up.scaleUp, pending, now);

    const down = planScaleDown({
      nodes: nodeList,
      groups: new Map(groupStates.map((g) => [g.spec.name, { target: g.target - this.removalsOf(g.spec.name), min: g.spec.min }])),
      unneededSince: this.unneededSince,
      now,
      unneededTimeMs: this.opts.scaleDownUnneededTimeMs,
      threshold: this.opts.scaleDownUtilizationThreshold,
    });
    this.unneededSince = down.unneededSince;
    const upcoming = groupStates.some((g) => g.target > g.ready);
    const coolingDown = now - this.lastScaleUpAt < this.opts.scaleDownDelayAfterAddMs;
    // As cluster-autoscaler: no node goes while others are still coming, or right after some came, or while one is leaving.
    if (down.remove && !up.scaleUp && !upcoming && !coolingDown && this.removals.size === 0) {
      await this.startRemoval(infos.get(down.remove.node)!, down.remove.group, now);
    }
    await this.writeStatus(groupStates, infos);
    this.scheduleNextPass(now, groupStates);
  }

  private removalsOf(group: string): number {
    return [...this.removals.values()].filter((r) => r.group === group).length;
  }

  private groupStates(infos: Map<string, NodeInfo>, now: number): GroupState[] {
    return this.opts.groups.map((spec) => {
      const members = [...infos.values()].filter((n) => n.labels[NODE_GROUP_LABEL] === spec.name);
      let rt = this.groups.get(spec.name);
      if (!rt) this.groups.set(spec.name, (rt = { target: members.length, requestedAt: now }));
      if (members.length > rt.target) rt.target = members.length;
      if (rt.target > members.length && now - rt.requestedAt > this.opts.maxNodeProvisionTimeMs) {
        this.log(`cluster-autoscaler: ${rt.target - members.length} node(s) of group ${spec.name} did not register within ${this.opts.maxNodeProvisionTimeMs / 1000}s; no longer expected`);
        rt.target = members.length;
      }
      const model = members.find((n) => isReady(n.node) && !this.removals.has(n.name) && !(n.node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT));
      return { spec, target: rt.target, registered: members.length, ready: members.filter((n) => isReady(n.node)).length, ...(model ? { model } : {}) };
    });
  }

  private scaleUp(option: NonNullable<ReturnType<typeof planScaleUp>['scaleUp']>, pending: Pod[], now: number): void {
    const spec = this.opts.groups.find((g) => g.name === option.group)!;
    const rt = this.groups.get(option.group)!;
    const delta = option.to - option.from;
    rt.target = option.to;
    rt.requestedAt = now;
    this.lastScaleUpAt = now;
    this.log(`cluster-autoscaler: scale-up: group ${option.group} ${option.from}->${option.to} (max: ${option.max}) for ${option.pods.length} pod(s)`);
    const helped = new Set(option.pods);
    const pods = pending.filter((p) => helped.has(objectKey(p as KubeObject)));
    for (const pod of pods) this.recorder.event(ref(pod, 'Pod'), 'Normal', 'TriggeredScaleUp', triggeredMessage(option));
    this.provider.increaseSize(spec, delta).catch((err: Error) => {
      rt.target = Math.max(0, rt.target - delta);
      this.log(`cluster-autoscaler: scale-up of group ${option.group} failed: ${err.message}`);
      for (const pod of pods) this.recorder.event(ref(pod, 'Pod'), 'Warning', 'FailedScaleUp', `Node scale up in group ${option.group} failed: ${err.message}`);
      this.queue.add(KEY);
    });
  }

  private async startRemoval(info: NodeInfo, group: string, now: number): Promise<void> {
    const node = info.node;
    const taint: Taint = { key: TO_BE_DELETED_TAINT, value: String(Math.floor(now / 1000)), effect: 'NoSchedule' };
    await this.client.update(NODES, undefined, { ...(node as KubeObject), spec: { ...node.spec, taints: [...(node.spec?.taints ?? []), taint] } });
    this.removals.set(info.name, { group, startedAt: now, nextEviction: new Map() });
    this.unneededSince.delete(info.name);
    this.log(`cluster-autoscaler: scale-down: removing node ${info.name} of group ${group}`);
    this.recorder.event(ref(node, 'Node'), 'Normal', 'ScaleDown', 'marked the node as toBeDeleted/unschedulable');
  }

  /** Drives each removal on: evictions sent (again when refused), then, once the pods are gone, the node stopped and deleted. */
  private async continueRemovals(infos: Map<string, NodeInfo>, now: number): Promise<void> {
    for (const [name, removal] of this.removals) {
      const info = infos.get(name);
      if (!info) {
        this.removals.delete(name);
        continue;
      }
      const left = podsToMove(info);
      if (left.length === 0) {
        await this.finishRemoval(info, removal);
        continue;
      }
      if (now - removal.startedAt > this.opts.maxPodEvictionTimeMs) {
        await this.abandonRemoval(info, left.length);
        continue;
      }
      for (const pod of left) {
        const uid = pod.metadata!.uid!;
        if (pod.metadata?.deletionTimestamp || (removal.nextEviction.get(uid) ?? 0) > now) continue;
        removal.nextEviction.set(uid, Infinity);
        await this.evict(pod, removal, now);
      }
    }
  }

  private async evict(pod: Pod, removal: Removal, now: number): Promise<void> {
    const { namespace, name, uid } = pod.metadata!;
    try {
      await this.client.createSubresource(PODS, namespace, name!, 'eviction', {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace },
        deleteOptions: { preconditions: { uid } },
      } as KubeObject);
      this.recorder.event(ref(pod, 'Pod'), 'Normal', 'ScaleDown', 'deleting pod for node scale down');
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      // 429: a PodDisruptionBudget allows no disruption now; asked again shortly, as the drain does.
      removal.nextEviction.set(uid!, now + EVICTION_RETRY_MS);
      this.log(`cluster-autoscaler: eviction of pod ${namespace}/${name} refused, trying again: ${(err as Error).message}`);
    }
  }

  private async finishRemoval(info: NodeInfo, removal: Removal): Promise<void> {
    const spec = this.opts.groups.find((g) => g.name === removal.group)!;
    await this.provider.deleteNodes(spec, [info.name]);
    try {
      await this.client.delete(NODES, undefined, info.name);
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
    const rt = this.groups.get(removal.group)!;
    rt.target = Math.max(0, rt.target - 1);
    this.removals.delete(info.name);
    this.log(`cluster-autoscaler: scale-down: node ${info.name} of group ${removal.group} removed`);
    this.recorder.event(ref(info.node, 'Node'), 'Normal', 'ScaleDown', 'node removed by cluster autoscaler');
  }

  private async abandonRemoval(info: NodeInfo, podsLeft: number): Promise<void> {
    this.removals.delete(info.name);
    const node = this.nodes.get(info.name) as Node | undefined;
    if (node) {
      const taints = (node.spec?.taints ?? []).filter((t) => t.key !== TO_BE_DELETED_TAINT);
      await this.client.update(NODES, undefined, { ...(node as KubeObject), spec: { ...node.spec, taints } });
    }
    const message = `failed to drain the node: ${podsLeft} pod(s) still on it after ${this.opts.maxPodEvictionTimeMs / 1000}s, aborting ScaleDown`;
    this.log(`cluster-autoscaler: ${info.name}: ${message}`);
    this.recorder.event(ref(info.node, 'Node'), 'Warning', 'ScaleDownFailed', message);
  }

  /** Time alone changes some answers: an unneeded node's delay ends, a drain's eviction retry comes due, a node is late. */
  private scheduleNextPass(now: number, groups: GroupState[]): void {
    const due: number[] = [];
    for (const since of this.unneededSince.values()) due.push(since + this.opts.scaleDownUnneededTimeMs, this.lastScaleUpAt + this.opts.scaleDownDelayAfterAddMs);
    for (const g of groups) if (g.target > g.registered) due.push(this.groups.get(g.spec.name)!.requestedAt + this.opts.maxNodeProvisionTimeMs + 1);
    for (const r of this.removals.values()) {
      due.push(r.startedAt + this.opts.maxPodEvictionTimeMs + 1);
      for (const at of r.nextEviction.values()) if (at !== Infinity) due.push(at);
    }
    const next = Math.min(...due.filter((t) => t > now));
    if (Number.isFinite(next)) this.queue.addAfter(KEY, Math.max(BATCH_MS, next - now));
  }

  private async writeStatus(groups: GroupState[], infos: Map<string, NodeInfo>): Promise<void> {
    const counts = (list: NodeInfo[]) => ({ total: list.length, ready: list.filter((n) => isReady(n.node)).length, notStarted: list.filter((n) => !isReady(n.node)).length });
    const statuses: GroupStatus[] = groups.map((g) => {
      const members = [...infos.values()].filter((n) => n.labels[NODE_GROUP_LABEL] === g.spec.name);
      return {
        name: g.spec.name,
        registered: counts(members),
        unregistered: Math.max(0, g.target - g.registered),
        target: g.target,
        min: g.spec.min,
        max: g.spec.max,
        scaleUpInProgress: g.target > g.registered,
        scaleDownCandidates: members.filter((n) => this.unneededSince.has(n.name)).length,
      };
    });
    const summary = JSON.stringify(statuses);
    if (summary === this.lastStatus) return;
    const now = rfc3339(new Date(this.now()));
    const data = { status: statusText({ groups: statuses, cluster: counts([...infos.values()]) }, this.times, now) };
    const annotations = { 'cluster-autoscaler.kubernetes.io/last-updated': now };
    try {
      const existing = await this.client.get(CONFIGMAPS, 'kube-system', STATUS_CONFIGMAP).catch((err: unknown) => {
        if (err instanceof ApiError && err.reason === 'NotFound') return undefined;
        throw err;
      });
      if (existing) await this.client.update(CONFIGMAPS, 'kube-system', { ...existing, metadata: { ...existing.metadata, annotations: { ...existing.metadata.annotations, ...annotations } }, data });
      else await this.client.create(CONFIGMAPS, 'kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: STATUS_CONFIGMAP, namespace: 'kube-system', annotations }, data } as KubeObject);
      this.lastStatus = summary;
    } catch (err) {
      this.log(`cluster-autoscaler: cannot write the status ConfigMap: ${(err as Error).message}`);
    }
  }
}

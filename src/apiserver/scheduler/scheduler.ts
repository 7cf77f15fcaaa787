// The default scheduler: pods with no node and the default scheduler name are taken from a queue
// one at a time, decided against the cache (schedule-one.ts) and bound through pods/binding in
// the background, so the next decision does not wait for the write. A pod that fits nowhere gets
// PodScheduled=False (Unschedulable) and a FailedScheduling event, and waits for the cluster to change.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import { EventRecorder, referenceTo } from '../../api/event-recorder.js';
import { findByKind } from '../../api/resources.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { KubeObject } from '../../api/types.js';
import { objectKey, type Informer } from '../../api/informer.js';
import { podPriority } from '../../api/priority.js';
import { SchedulerCache } from './scheduler-cache.js';
import { schedulePod } from './schedule-one.js';
import { NodeInfo } from './node-info.js';
import { preempt } from './preemption.js';
import type { VolumeLookup } from './framework.js';
import { SchedulingQueue } from './scheduling-queue.js';

export interface StorageInformers {
  claims: Informer;
  volumes: Informer;
  classes: Informer;
}

/** Where a preemptor is waiting for its victims to go, with the pod as it was nominated. */
interface Nomination {
  node: string;
  pod: Pod;
}

const PODS = findByKind('Pod')!;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** Decisions in a row before yielding to the event loop, so the API server keeps answering. */
const DECISIONS_PER_TURN = 50;

function podReference(pod: Pod) {
  return referenceTo({ ...(pod as KubeObject), apiVersion: 'v1', kind: 'Pod' });
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function wantsScheduling(pod: Pod): boolean {
  return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME;
}

/** What scheduling depends on: a status-only change (our own condition) must not retry the pod. */
function schedulingInputs(pod: Pod): string {
  return JSON.stringify([pod.spec, pod.metadata?.labels]);
}

export class Scheduler {
  private readonly cache = new SchedulerCache();
  private readonly queue = new SchedulingQueue(Date.now, (key) => podPriority((this.pods.get(key) as Pod | undefined) ?? {}));
  private readonly events: EventRecorder;
  private startIndex = 0;
  private readonly volumes: VolumeLookup | undefined;
  private loop: Promise<void> | undefined;
  /** Bindings and Unschedulable reports still being written; stop() waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Pods that preempted others, by key: the room freed for them is held against lower-priority pods. */
  private readonly nominated = new Map<string, Nomination>();

  constructor(
    private readonly client: ApiClient,
    private readonly pods: Informer,
    nodes: Informer,
    private readonly log: (msg: string) => void,
    /** Claims, volumes and classes for VolumeBinding; absent, pods' claims are not checked. */
    storage?: StorageInformers,
    /** PodDisruptionBudgets, whose pods preemption spares when it can. */
    private readonly budgets?: Informer,
  ) {
    this.events = new EventRecorder(client, { component: DEFAULT_SCHEDULER_NAME }, log);
    if (storage) {
      this.volumes = {
        claim: (ns, name) => storage.claims.get(`${ns}/${name}`),
        volume: (name) => storage.volumes.get(name),
        storageClass: (name) => storage.classes.get(name),
      };
      // A claim made or bound, or a volume made, may let a waiting pod fit.
      const retry = () => this.queue.moveAllToActive();
      for (const informer of [storage.claims, storage.volumes, storage.classes]) informer.addHandlers({ add: retry, update: retry });
    }
    nodes.addHandlers({
      add: (n) => this.nodeChanged(n),
      update: (_o, n) => this.nodeChanged(n),
      delete: (n) => this.cache.removeNode(n.metadata.name!),
    });
    pods.addHandlers({
      add: (p) => this.podSeen(p as Pod),
      update: (old, p) => this.podSeen(p as Pod, old as Pod),
      delete: (p) => {
        const key = objectKey(p);
        this.queue.forget(key);
        this.nominated.delete(key);
        if (this.cache.nodeOf(key) !== undefined) {
          this.cache.removePod(key);
          this.queue.moveAllToActive();
        }
      },
    });
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.queue.close();
    await this.loop;
    await Promise.all(this.inFlight);
    await this.events.flush();
  }

  private nodeChanged(node: KubeObject): void {
    this.cache.setNode(node as never);
    this.queue.moveAllToActive();
  }

  private podSeen(pod: Pod, old?: Pod): void {
    const key = objectKey(pod as KubeObject);
    if (pod.spec?.nodeName) {
      this.queue.forget(key);
      this.nominated.delete(key);
      if (isTerminal(pod)) {
        // A finished pod no longer holds its node's resources.
        if (this.cache.nodeOf(key) !== undefined) {
          this.cache.removePod(key);
          this.queue.moveAllToActive();
        }
      } else this.cache.addPod(key, pod, pod.spec.nodeName);
      return;
    }
    if (!wantsScheduling(pod)) {
      this.queue.forget(key);
      return;
    }
    if (!old || schedulingInputs(old) !== schedulingInputs(pod)) this.queue.add(key);
  }

  private async run(): Promise<void> {
    let decided = 0;
    for (;;) {
      const key = await this.queue.pop();
      if (key === undefined) return;
      const pod = this.pods.get(key) as Pod | undefined;
      if (!pod || !wantsScheduling(pod) || this.cache.nodeOf(key) !== undefined) continue;
      this.scheduleOne(key, pod);
      if (++decided % DECISIONS_PER_TURN === 0) await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * The nodes as `pod` sees them: pods nominated to a node (waiting for their victims to go) with
   * at least its priority count there already, so the room preemption freed goes to them.
   */
  private nodesFor(key: string, pod: Pod): readonly NodeInfo[] {
    const nodes = this.cache.list();
    const priority = podPriority(pod);
    const held = new Map<string, Array<[string, Pod]>>();
    for (const [k, n] of this.nominated) {
      if (k !== key && podPriority(n.pod) >= priority) held.set(n.node, [...(held.get(n.node) ?? []), [k, n.pod]]);
    }
    if (held.size === 0) return nodes;
    return nodes.map((info) => {
      const waiting = held.get(info.name);
      if (!waiting) return info;
      const copy = new NodeInfo(info.node);
      for (const [k, p] of info.pods) copy.addPod(k, p);
      for (const [k, p] of waiting) copy.addPod(k, p);
      return copy;
    });
  }

  private scheduleOne(key: string, pod: Pod): void {
    const nodes = this.nodesFor(key, pod);
    const result = schedulePod(pod, { nodes, antiAffinityPods: this.cache.antiAffinityPods, startIndex: this.startIndex, volumes: this.volumes });
    if (result.node === undefined) {
      this.queue.markUnschedulable(key);
      // DefaultPreemption, kube-scheduler's PostFilter: its message follows the filters' when it finds nothing.
      const outcome = preempt(pod, {
        nodes,
        antiAffinityPods: this.cache.antiAffinityPods,
        volumes: this.volumes,
        budgets: this.budgets?.list(),
        unresolvableNodes: result.unresolvableNodes,
      });
      if (outcome.node === undefined) {
        this.track(this.reportUnschedulable(pod, `${result.message} preemption: ${outcome.message}`));
        return;
      }
      this.nominated.set(key, { node: outcome.node, pod });
      this.track(this.preemptFor(pod, outcome.node, outcome.victims, this.unnominateLowerOn(outcome.node, podPriority(pod))));
      this.track(this.reportUnschedulable(pod, result.message));
      return;
    }
    this.nominated.delete(key);
    this.startIndex = (this.startIndex + result.evaluated) % Math.max(1, nodes.length);
    this.cache.addPod(key, pod, result.node);
    this.track(this.bind(key, pod, result.node));
  }

  /**
   * Lower-priority pods nominated to `node` may no longer fit there once a preemptor takes its
   * room: they lose the nomination and look for a place again (kube-scheduler's prepareCandidate).
   */
  private unnominateLowerOn(node: string, priority: number): Pod[] {
    const lower: Pod[] = [];
    for (const [k, n] of this.nominated) {
      if (n.node !== node || podPriority(n.pod) >= priority) continue;
      this.nominated.delete(k);
      this.queue.add(k);
      lower.push(n.pod);
    }
    return lower;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async bind(key: string, pod: Pod, node: string): Promise<void> {
    const { namespace, name, uid } = pod.metadata!;
    try {
      await this.client.createSubresource(PODS, namespace, name!, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      this.events.event(podReference(pod), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
    } catch (err) {
      this.cache.removePod(key);
      if (err instanceof ApiError && err.reason === 'NotFound') {
        this.queue.forget(key);
        return;
      }
      this.log(`cannot bind pod ${key} to ${node}: ${(err as Error).message}`);
      this.queue.retryLater(key);
    }
  }

  /**
   * Nominates the node on the preemptor, clears the nominations it overrides, and deletes its
   * victims gracefully, each marked DisruptionTarget and told why, as kube-scheduler's
   * prepareCandidate does.
   */
  private async preemptFor(pod: Pod, node: string, victims: readonly Pod[], unnominated: readonly Pod[]): Promise<void> {
    const { namespace, name } = pod.metadata!;
    const ignoreGone = (err: unknown) => {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) this.log(`preemption for pod ${namespace}/${name}: ${(err as Error).message}`);
    };
    await this.client.patch(PODS, namespace, name!, 'merge', { status: { nominatedNodeName: node } }, { subresource: 'status' }).catch(ignoreGone);
    for (const p of unnominated) {
      await this.client.patch(PODS, p.metadata!.namespace, p.metadata!.name!, 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' }).catch(ignoreGone);
    }
    const schedulerName = pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    await Promise.all(
      victims.map(async (victim) => {
        const v = victim.metadata!;
        const condition = { type: 'DisruptionTarget', status: 'True', lastTransitionTime: rfc3339(new Date()), reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod` };
        try {
          await this.client.patch(PODS, v.namespace, v.name!, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
          await this.client.delete(PODS, v.namespace, v.name!, { preconditions: { uid: v.uid } });
          this.events.event(podReference(victim), 'Normal', 'Preempted', `Preempted by pod ${pod.metadata!.uid} on node ${node}`);
        } catch (err) {
          ignoreGone(err);
        }
      }),
    );
  }

  private async reportUnschedulable(pod: Pod, message: string): Promise<void> {
    const { namespace, name } = pod.metadata!;
    this.events.event(podReference(pod), 'Warning', 'FailedScheduling', message);
    const before = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (before?.status === 'False' && before.message === message) return;
    const condition: PodCondition = { type: 'PodScheduled', status: 'False', lastProbeTime: null as never, lastTransitionTime: rfc3339(new Date()), reason: 'Unschedulable', message };
    const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), condition];
    try {
      await this.client.patch(PODS, namespace, name!, 'merge', { status: { phase: pod.status?.phase ?? 'Pending', conditions } }, { subresource: 'status' });
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) this.log(`cannot report pod ${namespace}/${name} unschedulable: ${(err as Error).message}`);
    }
  }
}

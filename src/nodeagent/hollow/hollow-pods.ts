// The pod side of hollow nodes: each node follows the pods bound to it as itself, through the
// shared informer (a node may list and watch only those, with the spec.nodeName field selector);
// such a pod is reported Running and Ready at once (its "containers" start instantly and run
// forever), and a pod being deleted is let go at once, as kubemark's hollow kubelet does with its
// fake runtime. A status write that fails is tried again after a while, as a kubelet's status
// manager does: no later event would bring the pod back otherwise.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import { Informer } from '../../api/informer.js';
import { findByKind } from '../../api/resources.js';
import type { ContainerInspect } from '../docker/types.js';
import { computePodStatus, type ContainerRuns } from '../pods/pod-status.js';
import { POD_NETWORK } from '../../api/cluster-network.js';
import { HollowUsage } from './hollow-usage.js';

const PODS = findByKind('Pod')!;

/** A container as Docker would describe a running one, for the kubelet's status computation. */
function runningContainer(pod: Pod, name: string, startedAt: string, ip: string): ContainerInspect {
  return {
    Id: `hollow-${pod.metadata!.uid}-${name}`,
    Image: 'sha256:hollow',
    State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: startedAt, FinishedAt: '0001-01-01T00:00:00Z', OOMKilled: false },
    Config: { Labels: {} },
    NetworkSettings: { Networks: { [POD_NETWORK]: { IPAddress: ip } } },
  } as unknown as ContainerInspect;
}

/** How long a hollow node waits before writing a pod's status again after a failed write. */
const STATUS_RETRY_MS = 2000;

export class HollowPods {
  private readonly informers: Informer[] = [];
  private readonly retries = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly reported = new Set<string>();
  private nextIp = 0;
  /** Each node's made-up usage, for its /metrics/resource. */
  readonly usage = new Map<string, HollowUsage>();

  constructor(
    private readonly nodes: ReadonlySet<string>,
    private readonly log: (msg: string) => void,
    /** Who watches and writes a node's pods: that node's own identity, as a kubelet would. */
    private readonly clientFor: (node: string) => ApiClient,
    private readonly retryMs = STATUS_RETRY_MS,
  ) {
    for (const node of nodes) this.usage.set(node, new HollowUsage());
  }

  start(): void {
    for (const node of this.nodes) {
      const informer = new Informer(this.clientFor(node), PODS, this.log, { fieldSelector: `spec.nodeName=${node}` });
      const forget = (uid: string) => {
        this.reported.delete(uid);
        this.usage.get(node)?.delete(uid);
      };
      informer.addHandlers({
        add: (pod) => void this.reconcile(pod as Pod, informer),
        update: (old, pod) => {
          // Deleted and created again under its name while the watch was down: a new pod.
          if (old.metadata.uid !== pod.metadata.uid) forget(old.metadata.uid!);
          void this.reconcile(pod as Pod, informer);
        },
        delete: (pod) => forget(pod.metadata.uid!),
      });
      informer.start();
      this.informers.push(informer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }

  private async reconcile(pod: Pod, informer: Informer): Promise<void> {
    const node = pod.spec?.nodeName;
    if (!node || !this.nodes.has(node)) return;
    const { namespace, name, uid } = pod.metadata!;
    try {
      if (pod.metadata?.deletionTimestamp) {
        this.usage.get(node)?.delete(uid!);
        await this.clientFor(node).delete(PODS, namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid } });
        return;
      }
      this.usage.get(node)?.set(uid!, pod);
      if (this.reported.has(uid!)) return;
      this.reported.add(uid!);
      const now = new Date();
      const n = this.nextIp++;
      // Addresses outside the real pod network (10.244.0.0/16), so no one mistakes them for reachable ones.
      const ip = `10.245.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
      const containers: Record<string, ContainerRuns> = {};
      for (const c of pod.spec?.containers ?? []) containers[c.name] = { current: runningContainer(pod, c.name, now.toISOString(), ip) };
      const status = computePodStatus(pod, { sandbox: runningContainer(pod, 'POD', now.toISOString(), ip), containers, hostIP: '127.0.0.1', now });
      await this.clientFor(node).patch(PODS, namespace, name!, 'merge', { status }, { subresource: 'status' });
    } catch (err) {
      if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) {
        this.reported.delete(uid!);
        this.log(`hollow pod ${namespace}/${name}: ${(err as Error).message}; trying again in ${this.retryMs} ms`);
        this.retryLater(`${namespace}/${name}`, uid!, informer);
      }
    }
  }

  /** Reconciles the pod again later, as the informer then holds it, unless it is gone or replaced. */
  private retryLater(key: string, uid: string, informer: Informer): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      const pod = informer.get(key) as Pod | undefined;
      if (!this.stopped && pod?.metadata?.uid === uid) void this.reconcile(pod, informer);
    }, this.retryMs);
    this.retries.add(timer);
  }
}

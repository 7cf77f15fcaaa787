// Kubernetes' node lifecycle controller: a node whose agent stops renewing its Lease (and posting
// its status) for the grace period gets its kubelet conditions set to Unknown, its pods marked not
// ready, and the node.kubernetes.io/unreachable taints; a node reporting Ready=False gets its pods
// marked not ready and the not-ready taints; the taints go when the node is healthy again. No polling: each sync asks to look
// again at the moment the node's heartbeat would run out.
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { findByKind } from '../../../api/resources.js';
import { rfc3339 } from '../../../api/timestamps.js';
import type { KubeObject } from '../../../api/types.js';
import type { Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { desiredTaints, observeHeartbeat, silentNodeConditions, staleAt, type Heartbeat } from './node-health.js';
import type { PodsByNode } from './pods-by-node.js';

const NODES = findByKind('Node')!;
const PODS = findByKind('Pod')!;
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period: how long a node may go without renewing its lease. */
  gracePeriodMs: number;
  now?: () => number;
}

function readyOf(node: KubeObject): NodeCondition | undefined {
  return (node.status?.conditions as NodeCondition[] | undefined)?.find((c) => c.type === 'Ready');
}

export class NodeLifecycleController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly heartbeats = new Map<string, Heartbeat>();
  private readonly now: () => number;

  constructor(
    private readonly client: ApiClient,
    private readonly nodes: Informer,
    private readonly leases: Informer,
    private readonly pods: Informer,
    private readonly podsByNode: PodsByNode,
    private readonly opts: NodeLifecycleOptions,
    private readonly log: (msg: string) => void,
  ) {
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'node-controller' }, log);
    this.queue = new WorkQueue((name) => this.sync(name), (name, err) => log(`node-lifecycle ${name}: ${(err as Error).message}`), { name: 'node_lifecycle_controller' });
    nodes.addHandlers({
      add: (node) => this.queue.add(node.metadata.name!),
      update: (_old, node) => this.queue.add(node.metadata.name!),
      delete: (node) => this.heartbeats.delete(node.metadata.name!),
    });
    const enqueueLease = (lease: KubeObject) => {
      if (lease.metadata.namespace === NODE_LEASE_NAMESPACE) this.queue.add(lease.metadata.name!);
    };
    leases.addHandlers({ add: enqueueLease, update: (_old, lease) => enqueueLease(lease) });
  }

  async sync(name: string): Promise<void> {
    let node = this.nodes.get(name);
    if (!node) return;
    const now = this.now();
    const lease = this.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    const heartbeat = observeHeartbeat(this.heartbeats.get(name), lease?.spec?.renewTime, readyOf(node)?.lastHeartbeatTime, now);
    this.heartbeats.set(name, heartbeat);
    const deadline = staleAt(heartbeat, this.opts.gracePeriodMs);
    if (now >= deadline) {
      const conditions = silentNodeConditions(node.status?.conditions, node.metadata.creationTimestamp, now);
      if (conditions) node = await this.markSilent(node, conditions);
    } else {
      this.queue.addAfter(name, deadline - now);
      // A node that says it is not ready (its runtime is down) cannot vouch for its pods either.
      if (readyOf(node)?.status === 'False') await this.markPodsNotReady(name);
    }
    const taints = desiredTaints(node, now);
    if (!taints) return;
    const { taints: _old, ...spec } = node.spec ?? {};
    await this.client.update(NODES, undefined, { ...node, spec: taints.length ? { ...spec, taints } : spec });
  }

  private async markSilent(node: KubeObject, conditions: NodeCondition[]): Promise<KubeObject> {
    const wasReady = readyOf(node)?.status === 'True';
    const updated = await this.client.update(NODES, undefined, { ...node, status: { ...node.status, conditions } }, { subresource: 'status' });
    this.log(`node ${node.metadata.name}: no heartbeat for ${this.opts.gracePeriodMs / 1000}s, conditions set to Unknown`);
    if (wasReady) {
      this.recorder.event(referenceTo(updated), 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    }
    await this.markPodsNotReady(node.metadata.name!);
    return updated;
  }

  /** The pods of a silent or not-ready node can no longer be trusted to serve: Ready=False, as MarkPodsNotReady does. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const at = rfc3339(new Date(this.now()));
    for (const key of this.podsByNode.keys(nodeName)) {
      const pod = this.pods.get(key);
      if (!pod || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const conditions: any[] = pod.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const updated = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: at } : c));
      try {
        await this.client.update(PODS, pod.metadata.namespace, { ...pod, status: { ...pod.status, conditions: updated } }, { subresource: 'status' });
        this.recorder.event(referenceTo(pod), 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        // A pod that changed or went meanwhile is left to its own next status.
        if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
      }
    }
  }
}

// Registers the Node and keeps its status current, as the kubelet's node status loop does: the
// runtime is probed at every heartbeat, and the status is written through nodes/<name>/status
// when something changed (the Ready condition flipping, a new runtime version) or, unchanged,
// once per report interval. The Lease is what says the node is alive in between.
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { findByKind } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import {
  nodeStatus,
  reconcileExistingNode,
  registrationNode,
  statusChanged,
  type NodeCondition,
  type NodeDescription,
  type RuntimeState,
} from './node-object.js';

const NODES = findByKind('Node')!;

export interface NodeStatusReporterOptions {
  client: ApiClient;
  node: NodeDescription;
  probeRuntime: () => Promise<RuntimeState>;
  /** How long an unchanged status goes unreported (the kubelet's nodeStatusReportFrequency). */
  reportIntervalMs: number;
  log: (msg: string) => void;
}

export class NodeStatusReporter {
  private uid = '';
  private reported: Record<string, unknown> | undefined;
  private reportedAt = 0;
  private runtimeVersion: string | undefined;

  constructor(private readonly opts: NodeStatusReporterOptions) {}

  /** The registered Node's name and uid (empty until registered). */
  get owner(): { name: string; uid: string } {
    return { name: this.opts.node.name, uid: this.uid };
  }

  /** Creates the Node, or brings an existing one up to date; answers the Node as stored. */
  async register(now = new Date()): Promise<KubeObject> {
    const { client, node } = this.opts;
    const runtime = await this.probe();
    const desired = registrationNode({ node, runtime, runtimeVersion: this.runtimeVersion, now });
    try {
      const created = await client.create(NODES, undefined, desired);
      this.remember(created, desired.status, now);
      this.opts.log(`registered node ${node.name}: ${readiness(created)}`);
      return created;
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason !== 'AlreadyExists') throw err;
    }
    const existing = await client.get(NODES, undefined, node.name);
    const reconciled = reconcileExistingNode(existing, node);
    const updated = JSON.stringify(reconciled) === JSON.stringify(existing) ? existing : await client.update(NODES, undefined, reconciled);
    const status = nodeStatus({ node, runtime, runtimeVersion: this.runtimeVersion, previousConditions: existing.status?.conditions, now });
    const stored = await client.patch(NODES, undefined, node.name, 'strategic', { status }, { subresource: 'status' });
    this.remember(updated, status, now);
    this.opts.log(`node ${node.name} already existed: labels, taints and status brought up to date: ${readiness(stored)}`);
    return stored;
  }

  /** One heartbeat: probe the runtime, report the status if it changed or is due. */
  async heartbeat(now = new Date()): Promise<void> {
    const { client, node } = this.opts;
    const runtime = await this.probe();
    const previous = this.reported?.conditions as NodeCondition[] | undefined;
    const status = nodeStatus({ node, runtime, runtimeVersion: this.runtimeVersion, previousConditions: previous, now });
    if (!statusChanged(this.reported, status) && now.getTime() - this.reportedAt < this.opts.reportIntervalMs) return;
    try {
      await client.patch(NODES, undefined, node.name, 'strategic', { status }, { subresource: 'status' });
    } catch (err) {
      // Someone deleted the Node: register it again rather than report into the void.
      if (err instanceof ApiError && err.reason === 'NotFound') {
        this.opts.log(`node ${node.name} was deleted from the API: registering it again`);
        await this.register(now);
        return;
      }
      throw err;
    }
    const wasReady = readyCondition(this.reported);
    const ready = readyCondition(status);
    if (wasReady?.status !== ready?.status) this.opts.log(`node ${node.name} is now ${ready ? describeReady(ready) : 'Unknown'}`);
    this.reported = status;
    this.reportedAt = now.getTime();
  }

  private async probe(): Promise<RuntimeState> {
    const runtime = await this.opts.probeRuntime();
    if (runtime.ok) this.runtimeVersion = runtime.version;
    return runtime;
  }

  /** What was last reported, as sent: the next heartbeat compares against it. */
  private remember(node: KubeObject, status: Record<string, unknown>, now: Date): void {
    this.uid = node.metadata.uid ?? '';
    this.reported = status;
    this.reportedAt = now.getTime();
  }
}

function readyCondition(status: Record<string, unknown> | undefined): NodeCondition | undefined {
  return ((status?.conditions ?? []) as NodeCondition[]).find((c) => c.type === 'Ready');
}

function describeReady(c: NodeCondition): string {
  return c.status === 'True' ? 'Ready' : `NotReady (${c.reason}: ${c.message})`;
}

function readiness(node: KubeObject): string {
  const ready = readyCondition(node.status);
  return ready ? describeReady(ready) : 'Unknown';
}

// The node IPAM controller (kube-controller-manager's --allocate-node-cidrs with the range
// allocator): each Node without spec.podCIDR gets the lowest free subnet of the cluster CIDR,
// written with the Node's resourceVersion so two writers can never hand out one range twice (a
// conflict is retried against the fresh cache). A Node's range is its own until the Node goes;
// the pod network of the node's machine is made from it.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import type { Informer } from '../../../api/informer.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { lowestFree, parseSubnetRange, type SubnetRange } from './cidr-set.js';

const NODES = findByKind('Node')!;

export interface NodeIpamOptions {
  clusterCidr: string;
  nodeCidrMaskSize: number;
}

export class NodeIpamController {
  readonly queue: WorkQueue;
  private readonly range: SubnetRange;
  private readonly recorder: EventRecorder;
  /** Ranges written but maybe not yet in the cache: never handed out twice meanwhile. */
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly client: ApiClient,
    private readonly nodes: Informer,
    opts: NodeIpamOptions,
    log: (msg: string) => void,
  ) {
    this.range = parseSubnetRange(opts.clusterCidr, opts.nodeCidrMaskSize);
    this.recorder = new EventRecorder(client, { component: 'cidrAllocator' }, log);
    // One worker: allocations are decided one at a time against one view of the taken ranges.
    this.queue = new WorkQueue((name) => this.sync(name), (name, err) => log(`node-ipam-controller: node ${name}: ${(err as Error).message}`), { workers: 1, name: 'node_ipam' });
    const enqueue = (node: KubeObject) => this.queue.add(node.metadata.name!);
    nodes.addHandlers({
      add: enqueue,
      update: (_old, node) => enqueue(node),
      delete: (node) => this.pending.delete(node.metadata.name!),
    });
  }

  private taken(except: string): string[] {
    const out = new Map(this.pending);
    for (const node of this.nodes.list()) if (node.spec?.podCIDR) out.set(node.metadata.name!, node.spec.podCIDR);
    out.delete(except);
    return [...out.values()];
  }

  async sync(name: string): Promise<void> {
    await this.nodes.hasSynced();
    const node = this.nodes.get(name);
    if (!node || node.metadata.deletionTimestamp) {
      this.pending.delete(name);
      return;
    }
    if (node.spec?.podCIDR) {
      this.pending.delete(name);
      return;
    }
    const cidr = this.pending.get(name) ?? lowestFree(this.range, this.taken(name));
    if (!cidr) {
      this.recorder.event(referenceTo(node), 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return;
    }
    this.pending.set(name, cidr);
    try {
      await this.client.update(NODES, undefined, { ...node, spec: { ...node.spec, podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (err) {
      this.pending.delete(name);
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      throw err; // a conflict: retried with the cache the write raced against
    }
  }
}

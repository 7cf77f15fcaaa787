// Kubernetes' pod garbage collector, the part that matters on a cluster of node agents: pods no
// agent will ever finish are force-deleted (grace 0). A node missing from the cache is confirmed
// gone with the API after a quarantine (40 s, as Kubernetes waits), so a pod bound to a node that
// is only about to register is not lost. Driven by pod and node events, no polling.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { disruptPod } from '../node-lifecycle/disruption.js';
import type { PodsByNode } from '../node-lifecycle/pods-by-node.js';
import { OUT_OF_SERVICE, podGcVerdict } from './pod-gc.js';

const NODES = findByKind('Node')!;
const QUARANTINE_MS = 40_000;

function outOfService(node: KubeObject): boolean {
  return (node.spec?.taints ?? []).some((t: { key: string }) => t.key === OUT_OF_SERVICE);
}

export class PodGarbageCollector {
  readonly queue: WorkQueue;
  /** Pod key -> when its node was first found missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly client: ApiClient,
    private readonly pods: Informer,
    private readonly nodes: Informer,
    private readonly podsByNode: PodsByNode,
    private readonly log: (msg: string) => void,
    private readonly quarantineMs = QUARANTINE_MS,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`pod-gc ${key}: ${(err as Error).message}`), { name: 'pod_gc' });
    const enqueuePod = (pod: KubeObject) => {
      if (pod.spec?.nodeName) this.queue.add(objectKey(pod));
    };
    pods.addHandlers({ add: enqueuePod, update: (_old, pod) => enqueuePod(pod), delete: (pod) => this.missingSince.delete(objectKey(pod)) });
    const enqueueNodePods = (node: KubeObject) => {
      for (const key of this.podsByNode.keys(node.metadata.name!)) this.queue.add(key);
    };
    nodes.addHandlers({
      update: (old, node) => {
        if (outOfService(node) && !outOfService(old)) enqueueNodePods(node);
      },
      delete: enqueueNodePods,
    });
  }

  async sync(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod) return;
    const nodeName: string | undefined = pod.spec?.nodeName;
    const node = nodeName ? this.nodes.get(nodeName) : undefined;
    const facts = { nodeName, terminating: !!pod.metadata.deletionTimestamp };
    let verdict = podGcVerdict(facts, node && { taints: node.spec?.taints, conditions: node.status?.conditions });
    if (verdict.action === 'confirm-node-gone') {
      const since = this.missingSince.get(key) ?? Date.now();
      this.missingSince.set(key, since);
      const wait = since + this.quarantineMs - Date.now();
      if (wait > 0) {
        this.queue.addAfter(key, wait);
        return;
      }
      verdict = podGcVerdict(facts, undefined, !(await this.nodeExists(nodeName!)));
    }
    this.missingSince.delete(key);
    if (verdict.action !== 'delete') return;
    this.log(`pod-gc: force deleting pod ${key}: ${verdict.reason === 'orphaned' ? `node ${nodeName} no longer exists` : `node ${nodeName} is out of service`}`);
    await disruptPod(
      this.client,
      pod,
      verdict.reason === 'orphaned'
        ? { reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', markFailed: true, gracePeriodSeconds: 0 }
        : { markFailed: true, gracePeriodSeconds: 0 },
    );
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.client.get(NODES, undefined, name);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return false;
      throw err;
    }
  }
}

// The controllers that deal with nodes going away, wired together as the controller manager starts
// them: node lifecycle (heartbeats, conditions, taints), taint eviction and pod GC, sharing one
// index of pods by node.
import type { ApiClient } from '../../../api/client.js';
import { findByKind, type ResourceType } from '../../../api/resources.js';
import type { Informer } from '../../../api/informer.js';
import { PodGarbageCollector } from '../pod-gc/pod-gc-controller.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import { PodsByNode } from './pods-by-node.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

/** Kubernetes' --node-monitor-grace-period default. */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS = 40;

/** Starts the node controllers on the shared informers; answers how to stop them. */
export function startNodeControllers(
  client: ApiClient,
  informer: (r: ResourceType) => Informer,
  gracePeriodSeconds: number,
  log: (msg: string) => void,
): () => void {
  const pods = informer(findByKind('Pod')!);
  const nodes = informer(findByKind('Node')!);
  const podsByNode = new PodsByNode(pods);
  const lifecycle = new NodeLifecycleController(client, nodes, informer(findByKind('Lease')!), pods, podsByNode, { gracePeriodMs: gracePeriodSeconds * 1000 }, log);
  const eviction = new TaintEvictionController(client, pods, nodes, podsByNode, log);
  const podGC = new PodGarbageCollector(client, pods, nodes, podsByNode, log);
  return () => {
    lifecycle.queue.stop();
    eviction.queue.stop();
    podGC.queue.stop();
  };
}

// Pure: a DaemonSet's pods grouped by the node they are meant for, each node with its verdict
// (getNodesToDaemonPods with NodeShouldRunDaemonPod), and the pods whose node is gone.
import { objectKey } from '../../../api/informer.js';
import type { KubeObject } from '../../../api/types.js';
import { targetNodeOf, templatePod } from './daemon-pod.js';
import { nodeShouldRunDaemonPod, type NodeVerdict } from './node-eligibility.js';

export interface NodePods extends NodeVerdict {
  node: KubeObject;
  /** The DaemonSet's pods meant for this node, oldest first (some may be terminating). */
  pods: KubeObject[];
}

export interface NodeMap {
  nodes: NodePods[];
  /** Pods meant for no node or for one that no longer exists. */
  orphaned: KubeObject[];
}

function created(pod: KubeObject): number {
  return Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
}

/** Oldest first, then by name, as Kubernetes' podByCreationTimestampAndPhase orders a node's pods. */
export function oldestFirst(a: KubeObject, b: KubeObject): number {
  return created(a) - created(b) || objectKey(a).localeCompare(objectKey(b));
}

export function mapNodes(ds: KubeObject, nodes: readonly KubeObject[], pods: readonly KubeObject[]): NodeMap {
  const template = templatePod(ds);
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of pods) {
    const node = targetNodeOf(pod) ?? '';
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const result: NodeMap = { nodes: [], orphaned: [] };
  for (const node of nodes) {
    const name = node.metadata.name!;
    const onNode = (byNode.get(name) ?? []).sort(oldestFirst);
    byNode.delete(name);
    result.nodes.push({ node, pods: onNode, ...nodeShouldRunDaemonPod(template, node) });
  }
  for (const rest of byNode.values()) result.orphaned.push(...rest);
  return result;
}

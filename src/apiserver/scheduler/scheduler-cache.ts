// The scheduler's picture of the cluster: every node with the pods bound to it. Pods the
// scheduler has just bound are counted at once ("assumed"), before the informer shows the
// binding, so the next decisions never overbook a node.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from './node-info.js';

function hasRequiredAntiAffinity(pod: Pod): boolean {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Pods bound to a node the cache does not know (yet): added when the node appears. */
  private readonly podNode = new Map<string, string>();
  private readonly orphanPods = new Map<string, Pod>();
  private nodeList: NodeInfo[] | undefined;
  antiAffinityPods = 0;

  /** The nodes, in a stable order (by name). */
  list(): readonly NodeInfo[] {
    this.nodeList ??= [...this.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.nodeList;
  }

  setNode(node: Node): void {
    const name = node.metadata!.name!;
    const info = this.nodes.get(name);
    if (info) {
      info.setNode(node);
      return;
    }
    const created = new NodeInfo(node);
    this.nodes.set(name, created);
    this.nodeList = undefined;
    for (const [key, pod] of this.orphanPods) {
      if (pod.spec?.nodeName === name) {
        this.orphanPods.delete(key);
        created.addPod(key, pod);
      }
    }
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodes.delete(name);
    this.nodeList = undefined;
    for (const [key, pod] of info.pods) this.orphanPods.set(key, pod);
  }

  /** A pod bound (or being bound) to `nodeName`, replacing what was known of it. */
  addPod(key: string, pod: Pod, nodeName: string): void {
    this.removePod(key);
    this.podNode.set(key, nodeName);
    if (hasRequiredAntiAffinity(pod)) this.antiAffinityPods++;
    const info = this.nodes.get(nodeName);
    if (info) info.addPod(key, pod);
    else this.orphanPods.set(key, pod);
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    const info = this.nodes.get(nodeName);
    const pod = info?.pods.get(key) ?? this.orphanPods.get(key);
    if (pod && hasRequiredAntiAffinity(pod)) this.antiAffinityPods--;
    info?.removePod(key);
    this.orphanPods.delete(key);
  }

  nodeOf(key: string): string | undefined {
    return this.podNode.get(key);
  }
}

// Pure: the cluster as the autoscaler imagines it — copies of the nodes with their pods, onto which
// pods are placed (or taken off) without touching the real cluster, each placement checked by the
// scheduler's own filter plugins, so what the autoscaler expects is what the scheduler will do.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { CycleContext, FilterFailure } from '../../scheduler/framework.js';
import { NodeInfo } from '../../scheduler/node-info.js';
import { filterNode, preFilter } from '../../scheduler/schedule-one.js';

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

/** A copy of the node and its pods, to place pods onto in a simulation. */
export function cloneNodeInfo(info: NodeInfo, node: Node = info.node): NodeInfo {
  const copy = new NodeInfo(node);
  for (const [key, pod] of info.pods) copy.addPod(key, pod);
  return copy;
}

function hasRequiredAntiAffinity(pod: Pod): boolean {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
}

function antiAffinityPods(info: NodeInfo): number {
  let n = 0;
  for (const pod of info.pods.values()) if (hasRequiredAntiAffinity(pod)) n++;
  return n;
}

/** Answers whether one pod fits a node; its pre-filters ran once, against the snapshot as it was then. */
export type Fit = (node: NodeInfo) => FilterFailure | undefined;

export class ClusterSnapshot {
  readonly nodes: NodeInfo[];
  private antiAffinity = 0;

  constructor(nodes: readonly NodeInfo[]) {
    this.nodes = [];
    for (const n of nodes) this.add(cloneNodeInfo(n));
  }

  add(info: NodeInfo): void {
    this.nodes.push(info);
    this.antiAffinity += antiAffinityPods(info);
  }

  remove(name: string): void {
    const i = this.nodes.findIndex((n) => n.name === name);
    if (i < 0) return;
    this.antiAffinity -= antiAffinityPods(this.nodes[i]);
    this.nodes.splice(i, 1);
  }

  get(name: string): NodeInfo | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  /** The pod's fit test: the scheduler's pre-filters now, its filters per node asked about. */
  fit(pod: Pod): Fit {
    const ctx: CycleContext = { nodes: this.nodes, antiAffinityPods: this.antiAffinity, state: new Map() };
    const filters = preFilter(pod, ctx);
    if (!Array.isArray(filters)) return () => filters;
    return (node) => filterNode(pod, node, filters, ctx);
  }

  /** Puts the pod on the node (in the simulation only). */
  bind(pod: Pod, node: NodeInfo): void {
    node.addPod(podKey(pod), { ...pod, spec: { ...pod.spec!, nodeName: node.name } });
    if (hasRequiredAntiAffinity(pod)) this.antiAffinity++;
  }

  /** Places the pod on the first node of `order` (default: the snapshot's) it fits, skipping `exclude`; returns that node. */
  place(pod: Pod, exclude: ReadonlySet<string> = new Set(), order: readonly NodeInfo[] = this.nodes): NodeInfo | undefined {
    const fit = this.fit(pod);
    for (const node of order) {
      if (exclude.has(node.name) || fit(node)) continue;
      this.bind(pod, node);
      return node;
    }
    return undefined;
  }
}

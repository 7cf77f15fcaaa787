// What the scheduler knows of one node: the Node, the pods bound to it (including those it has
// just bound itself and the informer has not shown yet) and their sums, kept up to date as pods
// come and go so a scheduling cycle never adds them up again.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { nodeAllocatable, podRequests, podScoringRequests, zeroResources, type Resources } from './resources.js';

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

export function hostPorts(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) ports.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return ports;
}

/** The UID of the pod's controlling owner (its ReplicaSet, Job…), if any. */
// Pods from the informer are never changed in place, so a pod's ports are worked out once, not
// once per node it is checked against.
const portsMemo = new WeakMap<Pod, HostPort[]>();

/** hostPorts, remembered per pod object. */
export function podHostPorts(pod: Pod): HostPort[] {
  let ports = portsMemo.get(pod);
  if (!ports) portsMemo.set(pod, (ports = hostPorts(pod)));
  return ports;
}

export function controllerUid(pod: Pod): string | undefined {
  return pod.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
}

function readyStatus(node: Node): string | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

function add(into: Resources, r: Resources, sign: 1 | -1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  into.pods += sign * r.pods;
}

export class NodeInfo {
  /** By pod key (namespace/name). */
  readonly pods = new Map<string, Pod>();
  readonly requested = zeroResources();
  /** With the scoring defaults for pods that request nothing. */
  readonly nonZeroRequested = zeroResources();
  readonly usedPorts: HostPort[] = [];
  /** Pods per controlling owner UID, for spreading one owner's pods across nodes. */
  readonly podsByOwner = new Map<string, number>();
  allocatable: Resources;
  /** The status of the node's Ready condition (undefined: none reported). */
  ready: string | undefined;
  /** Whether the node has taints: most have none, and hundreds of nodes are asked per pod. */
  tainted: boolean;

  constructor(public node: Node) {
    this.allocatable = nodeAllocatable(node);
    this.ready = readyStatus(node);
    this.tainted = (node.spec?.taints?.length ?? 0) > 0;
  }

  get name(): string {
    return this.node.metadata!.name!;
  }

  get labels(): Record<string, string> {
    return this.node.metadata?.labels ?? {};
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.ready = readyStatus(node);
    this.tainted = (node.spec?.taints?.length ?? 0) > 0;
  }

  addPod(key: string, pod: Pod): void {
    if (this.pods.has(key)) this.removePod(key);
    this.pods.set(key, pod);
    add(this.requested, podRequests(pod), 1);
    add(this.nonZeroRequested, podScoringRequests(pod), 1);
    this.usedPorts.push(...hostPorts(pod));
    const owner = controllerUid(pod);
    if (owner) this.podsByOwner.set(owner, (this.podsByOwner.get(owner) ?? 0) + 1);
  }

  removePod(key: string): void {
    const pod = this.pods.get(key);
    if (!pod) return;
    this.pods.delete(key);
    add(this.requested, podRequests(pod), -1);
    add(this.nonZeroRequested, podScoringRequests(pod), -1);
    const owner = controllerUid(pod);
    if (owner) {
      const n = (this.podsByOwner.get(owner) ?? 1) - 1;
      if (n > 0) this.podsByOwner.set(owner, n);
      else this.podsByOwner.delete(owner);
    }
    for (const p of hostPorts(pod)) {
      const i = this.usedPorts.findIndex((u) => u.hostIP === p.hostIP && u.protocol === p.protocol && u.port === p.port);
      if (i >= 0) this.usedPorts.splice(i, 1);
    }
  }
}

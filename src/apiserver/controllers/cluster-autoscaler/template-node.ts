// Pure: what a new node of a group would look like, to simulate scheduling onto it before it
// exists. As cluster-autoscaler does, a Ready node of the group is the best model (its real
// allocatable, labels and taints, and the DaemonSet pods every new node gets too); a group with
// none is modelled from its template's capacity.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NODE_GROUP_LABEL, type NodeGroupSpec } from '../../../api/node-groups.js';
import { NodeInfo } from '../../scheduler/node-info.js';

/** The taint the autoscaler puts on a node it is removing, as cluster-autoscaler's. */
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';
/** Taints of a node's passing state, which a new node would not have. */
const TRANSIENT_TAINTS = new Set([TO_BE_DELETED_TAINT, 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/unschedulable']);

export function isDaemonSetPod(pod: Pod): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((r) => r.controller && r.kind === 'DaemonSet');
}

export function isReady(node: Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

const READY = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'template node' }];

export function templateNodeInfo(group: NodeGroupSpec, name: string, model?: NodeInfo): NodeInfo {
  if (model) {
    const m = model.node;
    const node: Node = {
      ...m,
      metadata: { name, labels: { ...m.metadata?.labels, 'kubernetes.io/hostname': name } },
      spec: { ...m.spec, unschedulable: false, taints: (m.spec?.taints ?? []).filter((t) => !TRANSIENT_TAINTS.has(t.key)) },
      status: { capacity: m.status?.capacity, allocatable: m.status?.allocatable, conditions: READY },
    };
    const info = new NodeInfo(node);
    for (const [key, pod] of model.pods) {
      if (isDaemonSetPod(pod)) info.addPod(`${key}-${name}`, { ...pod, spec: { ...pod.spec!, nodeName: name } });
    }
    return info;
  }
  const t = group.template;
  const resources: Record<string, string> = {
    cpu: t.cpu ?? '1',
    memory: t.memory ?? '1Gi',
    pods: String(t.pods ?? 110),
  };
  return new NodeInfo({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [NODE_GROUP_LABEL]: group.name, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
    spec: {},
    status: { capacity: resources, allocatable: resources, conditions: READY },
  });
}

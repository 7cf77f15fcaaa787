// Pure: whether a DaemonSet should run on a node (NodeShouldRunDaemonPod), asking the scheduler's
// own filters: the template's nodeName, nodeSelector and required node affinity, and the node's
// NoSchedule/NoExecute taints against the daemon pod's tolerations. A pod already there keeps
// running while only NoSchedule taints stand against it, as on Kubernetes.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { untoleratedTaints } from '../../../api/taints.js';
import type { KubeObject } from '../../../api/types.js';
import type { CycleContext } from '../../scheduler/framework.js';
import { NodeInfo } from '../../scheduler/node-info.js';
import { nodeAffinity } from '../../scheduler/plugins/node-affinity.js';
import { nodeName } from '../../scheduler/plugins/node-name.js';

export interface NodeVerdict {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

/** `pod` is the DaemonSet's templatePod (with the daemon tolerations). */
export function nodeShouldRunDaemonPod(pod: KubeObject, node: KubeObject): NodeVerdict {
  const info = new NodeInfo(node as Node);
  const ctx: CycleContext = { nodes: [info], antiAffinityPods: 0, state: new Map() };
  const p = pod as Pod;
  if (nodeName.filter(p, info, ctx) || nodeAffinity.filter(p, info, ctx)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  if (untoleratedTaints(taints, p.spec?.tolerations, ['NoExecute']).length) return { shouldRun: false, shouldContinueRunning: false };
  return { shouldRun: untoleratedTaints(taints, p.spec?.tolerations, ['NoSchedule']).length === 0, shouldContinueRunning: true };
}

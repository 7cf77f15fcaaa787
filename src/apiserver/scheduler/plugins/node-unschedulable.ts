// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate its taint.
import { tolerated } from '../../../api/taints.js';
import type { FilterPlugin } from '../framework.js';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.node.spec?.unschedulable) return undefined;
    if (tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return { reason: 'node(s) were unschedulable', unresolvable: true };
  },
};

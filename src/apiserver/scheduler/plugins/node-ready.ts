// NodeReady: a node that is not Ready (its agent stopped reporting, or its runtime is down) takes
// no new pods unless they tolerate the taint Kubernetes' node lifecycle controller would put on
// it; the message names that taint, as a Kubernetes user would see it.
import type { Taint } from 'kubernetes-types/core/v1.js';
import { formatTaint, tolerated } from '../../../api/taints.js';
import type { FilterPlugin } from '../framework.js';

export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(pod, node) {
    if (node.ready === 'True') return undefined;
    const taint: Taint = { key: node.ready === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };
    // The lifecycle controller may have put the taint there already; the taint filter reports it then.
    if ((node.node.spec?.taints ?? []).some((t) => t.key === taint.key)) return undefined;
    if (tolerated(pod.spec?.tolerations, taint)) return undefined;
    return { reason: `node(s) had untolerated taint ${formatTaint(taint)}`, unresolvable: true };
  },
};

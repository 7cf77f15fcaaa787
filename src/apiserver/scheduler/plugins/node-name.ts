// NodeName: a pod that names its node fits only there.
import { SKIP, type FilterPlugin } from '../framework.js';

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  preFilter(pod) {
    return pod.spec?.nodeName ? undefined : SKIP;
  },
  filter(pod, node) {
    const want = pod.spec?.nodeName;
    if (want && want !== node.name) return { reason: "node(s) didn't match the requested node name", unresolvable: true };
    return undefined;
  },
};

// NodeName: a pod that names its node fits only there.
import { SKIP, type FilterPlugin } from '../framework.js';

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  preFilter(pod) {
    return pod.spec?.nodeName ? undefined : SKIP;
  },
  filter(pod, node) {
    if (pod.spec!.nodeName !== node.name) return { reason: "node(s) didn't match the requested node name", unresolvable: true };
    return undefined;
  },
};

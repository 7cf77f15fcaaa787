// NodePorts: a host port can be taken once per node, protocol and address (0.0.0.0 conflicts with every address).
import { podHostPorts } from '../node-info.js';
import { SKIP, type FilterPlugin } from '../framework.js';

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  preFilter(pod) {
    return podHostPorts(pod).length > 0 ? undefined : SKIP;
  },
  filter(pod, node) {
    const wanted = podHostPorts(pod);
    const conflict = wanted.some((w) =>
      node.usedPorts.some((u) => u.port === w.port && u.protocol === w.protocol && (u.hostIP === w.hostIP || u.hostIP === '0.0.0.0' || w.hostIP === '0.0.0.0')),
    );
    return conflict ? { reason: "node(s) didn't have free ports for the requested pod ports" } : undefined;
  },
};

// The pod network `kctl init` was given, kept where whatever builds the network reads it: in
// cluster.json and in the kube-system/kctl-pod-network ConfigMap (`cidr`, `mode`), the way
// Flannel keeps its net-conf.json in a ConfigMap; and the API server's node IPAM flags, which cut
// it into the Nodes' ranges.
import type { PodNetworkMode } from '../../api/cluster-network.js';
import type { KubeObject } from '../../api/types.js';

export const POD_NETWORK_CONFIG_MAP = 'kctl-pod-network';

export interface PodNetwork {
  cidr: string;
  mode: PodNetworkMode;
}

export function podNetworkConfigMap(n: PodNetwork): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: POD_NETWORK_CONFIG_MAP, namespace: 'kube-system' },
    data: { cidr: n.cidr, mode: n.mode },
  };
}

/** Node IPAM as kube-controller-manager's flags set it: each Node gets a range of clusterCidr, of maskSize bits. */
export interface NodeIpam {
  clusterCidr?: string;
  maskSize?: string;
}

/** The API server's flags for it (it checks the values, and refuses to start on bad ones). */
export function nodeIpamArgs(n: NodeIpam): string[] {
  return [
    '--allocate-node-cidrs',
    ...(n.clusterCidr ? ['--cluster-cidr', n.clusterCidr] : []),
    ...(n.maskSize ? ['--node-cidr-mask-size', n.maskSize] : []),
  ];
}

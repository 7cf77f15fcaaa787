// The pod network `kctl init` was given, kept where whatever builds the network reads it: in
// cluster.json and in the kube-system/kctl-pod-network ConfigMap (`cidr`, `mode`), the way
// Flannel keeps its net-conf.json in a ConfigMap. kctl init only records it.
import type { KubeObject } from '../../api/types.js';

export const POD_NETWORK_MODES = ['host-gw', 'vxlan'] as const;
export const POD_NETWORK_CONFIG_MAP = 'kctl-pod-network';

export interface PodNetwork {
  cidr: string;
  mode: (typeof POD_NETWORK_MODES)[number];
}

export function podNetworkConfigMap(n: PodNetwork): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: POD_NETWORK_CONFIG_MAP, namespace: 'kube-system' },
    data: { cidr: n.cidr, mode: n.mode },
  };
}

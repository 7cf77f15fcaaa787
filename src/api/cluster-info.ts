// The kube-public/cluster-info ConfigMap kubeadm publishes for joining machines: a kubeconfig
// with the API server's address and the cluster CA (no credentials), readable without any, and a
// detached JWS of that kubeconfig per signing bootstrap token (`jws-kubeconfig-<token id>`) so a
// machine that holds a token can tell it came from the cluster.
import type { KubeObject } from './types.js';

export const CLUSTER_INFO_NAMESPACE = 'kube-public';
export const CLUSTER_INFO_CONFIG_MAP = 'cluster-info';
export const CLUSTER_INFO_KUBECONFIG_KEY = 'kubeconfig';
export const JWS_KEY_PREFIX = 'jws-kubeconfig-';

/** The kubeconfig cluster-info carries, as kubeadm writes it (one unnamed cluster, no user). */
export function clusterInfoKubeconfig(server: string, caPem: string): string {
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: '', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      contexts: null,
      'current-context': '',
      preferences: {},
      users: null,
    },
    null,
    2,
  )}\n`;
}

export function clusterInfoConfigMap(kubeconfig: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CLUSTER_INFO_CONFIG_MAP, namespace: CLUSTER_INFO_NAMESPACE },
    data: { [CLUSTER_INFO_KUBECONFIG_KEY]: kubeconfig },
  };
}

/** The server and CA of a cluster-info kubeconfig; throws when it has no cluster with both. */
export function readClusterInfoKubeconfig(text: string): { server: string; caPem: string } {
  let config: any;
  try {
    config = JSON.parse(text);
  } catch {
    throw new Error('the cluster-info kubeconfig is not valid JSON');
  }
  const cluster = config?.clusters?.[0]?.cluster;
  if (!cluster?.server || !cluster['certificate-authority-data']) throw new Error('the cluster-info kubeconfig names no server with a certificate authority');
  return { server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') };
}

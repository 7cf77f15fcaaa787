// The init side of kubeadm's discovery: publishing kube-public/cluster-info (the server and CA,
// signed per token by the daemon's bootstrap signer) and waiting until a token's signature is
// there, so the join line printed next works at once.
import type { ApiClient } from '../../api/client.js';
import { clusterInfoConfigMap, clusterInfoKubeconfig, CLUSTER_INFO_CONFIG_MAP, CLUSTER_INFO_NAMESPACE, JWS_KEY_PREFIX } from '../../api/cluster-info.js';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import { CliError } from '../errors.js';

const CONFIG_MAPS = findByKind('ConfigMap')!;

/** Creates cluster-info, or points it at this server and CA when it exists. */
export async function publishClusterInfo(client: ApiClient, server: string, caPem: string): Promise<void> {
  const cm = clusterInfoConfigMap(clusterInfoKubeconfig(server, caPem));
  try {
    await client.create(CONFIG_MAPS, CLUSTER_INFO_NAMESPACE, cm);
  } catch (err) {
    if (!(err instanceof ApiError) || err.reason !== 'AlreadyExists') throw err;
    await client.patch(CONFIG_MAPS, CLUSTER_INFO_NAMESPACE, CLUSTER_INFO_CONFIG_MAP, 'merge', { data: cm.data });
  }
}

/** Resolves once cluster-info carries the signature for tokenId (watched, not polled). */
export function waitForSignature(client: ApiClient, tokenId: string, timeoutMs: number): Promise<void> {
  const key = `${JWS_KEY_PREFIX}${tokenId}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      handle.stop();
      reject(new CliError(`cluster-info was not signed for token ${tokenId} within ${timeoutMs / 1000}s (is the API server's bootstrap signer running? see its log)`));
    }, timeoutMs);
    const handle = client.watch(CONFIG_MAPS, CLUSTER_INFO_NAMESPACE, { fieldSelector: `metadata.name=${CLUSTER_INFO_CONFIG_MAP}` }, (e) => {
      if ((e.type === 'ADDED' || e.type === 'MODIFIED') && e.object.data?.[key]) {
        clearTimeout(timer);
        handle.stop();
        resolve();
      }
    });
  });
}

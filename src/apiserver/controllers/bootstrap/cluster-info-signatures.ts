// Which `jws-kubeconfig-<id>` signatures cluster-info should carry: one per bootstrap token that
// is valid for signing (usage-bootstrap-signing, not expired), over the kubeconfig it holds now.
// Pure, so the bootstrap signer's decision is unit-tested apart from the API.
import { hasExpired, readBootstrapTokenSecret } from '../../../api/bootstrap-token.js';
import { CLUSTER_INFO_KUBECONFIG_KEY, JWS_KEY_PREFIX } from '../../../api/cluster-info.js';
import { computeDetachedJWS, verifyDetachedJWS } from '../../../api/pki/jws.js';
import type { KubeObject } from '../../../api/types.js';

/** The ConfigMap's data as it should be; undefined when it already is. */
export function signedClusterInfoData(clusterInfo: KubeObject, tokenSecrets: KubeObject[], now: Date): Record<string, string> | undefined {
  const data: Record<string, string> = { ...(clusterInfo.data ?? {}) };
  const content = data[CLUSTER_INFO_KUBECONFIG_KEY];
  if (content === undefined) return undefined;
  const wanted = new Map<string, string>();
  for (const secret of tokenSecrets) {
    if (secret.metadata.deletionTimestamp) continue;
    const token = readBootstrapTokenSecret(secret);
    if (!token || !token.usages.includes('signing') || hasExpired(token.expiration, now)) continue;
    const key = `${JWS_KEY_PREFIX}${token.id}`;
    // A signature that still verifies is kept as it is: no write when nothing changed.
    const current = data[key];
    wanted.set(key, current && verifyDetachedJWS(current, content, token.id, token.secret) ? current : computeDetachedJWS(content, token.id, token.secret));
  }
  let changed = false;
  for (const key of Object.keys(data)) {
    if (key.startsWith(JWS_KEY_PREFIX) && !wanted.has(key)) {
      delete data[key];
      changed = true;
    }
  }
  for (const [key, jws] of wanted) {
    if (data[key] !== jws) {
      data[key] = jws;
      changed = true;
    }
  }
  return changed ? data : undefined;
}

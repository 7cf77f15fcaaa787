// kubeadm's token discovery: read kube-public/cluster-info from the server without trusting it
// yet, check that the token signed it (the JWS `jws-kubeconfig-<token id>`) and that its CA is the
// pinned one (sha256 of its public key), then read it again over TLS verified with that CA. The
// refusals say which check failed: a wrong token and a wrong CA hash read differently. As kubeadm,
// it waits for an API server that does not answer yet (a control plane still starting, or a
// machine started with it) and, for a few seconds, for the token's signature to appear.
import https from 'node:https';
import { CLUSTER_INFO_CONFIG_MAP, CLUSTER_INFO_KUBECONFIG_KEY, CLUSTER_INFO_NAMESPACE, JWS_KEY_PREFIX, readClusterInfoKubeconfig } from '../../api/cluster-info.js';
import type { BootstrapToken } from '../../api/bootstrap-token.js';
import { caCertHash, caMatchesHash } from '../../api/pki/ca-hash.js';
import { verifyDetachedJWS } from '../../api/pki/jws.js';
import { CliError } from '../errors.js';

const PATH = `/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps/${CLUSTER_INFO_CONFIG_MAP}`;

/**
 * How long an API server that answers may go on saying cluster-info is not there or not signed
 * for the token before join gives up: the bootstrap signer adds a token's signature a moment after
 * the token is made (kubeadm retries these until its discovery timeout, 5 minutes).
 */
export const SIGNATURE_GRACE_MS = 5000;
const RETRY_MAX_MS = 500;

/** A failure that may pass: the server does not answer yet (`answered` false), or cluster-info is not (yet) there or signed for the token. */
class NotYet extends CliError {
  constructor(
    message: string,
    readonly answered: boolean,
  ) {
    super(message);
  }
}

export interface DiscoveredCluster {
  /** The API server as cluster-info names it. */
  server: string;
  caPem: string;
}

/** GET cluster-info; `ca` absent: without checking the server's certificate (the first, untrusted read). */
function fetchClusterInfo(endpoint: string, ca: string | undefined, timeoutMs: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = https.get(`https://${endpoint}${PATH}`, { ...(ca ? { ca } : { rejectUnauthorized: false }), timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          let message = text;
          try {
            message = JSON.parse(text).message ?? text;
          } catch {
            // not a Status
          }
          const refusal = `the API server at ${endpoint} did not hand out cluster-info (${res.statusCode}: ${message.trim()}); is it a cluster made by "kctl init"?`;
          const status = res.statusCode ?? 0;
          // 5xx: still starting; 401, 403, 404: up, but cluster-info is not published (yet).
          reject(status >= 500 ? new NotYet(refusal, false) : [401, 403, 404].includes(status) ? new NotYet(refusal, true) : new CliError(refusal));
          return;
        }
        try {
          resolve(JSON.parse(text).data ?? {});
        } catch {
          reject(new CliError(`the API server at ${endpoint} answered cluster-info with something that is not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on('error', (err) => reject(new NotYet(`cannot reach the API server at ${endpoint}: ${err.message}`, false)));
  });
}

export interface DiscoveryOptions {
  /** `host:port` of the control plane. */
  endpoint: string;
  token: BootstrapToken;
  /** `sha256:<hex>` pins; empty only with unsafeSkipCAVerification. */
  caHashes: string[];
  unsafeSkipCAVerification: boolean;
  /** Each request's. */
  timeoutMs: number;
  /** When to stop waiting for an API server that does not answer (ms since the epoch). */
  deadline: number;
  /** Told once, when discovery starts waiting, why. */
  onWaiting?: (why: string) => void;
}

/** Discovery, tried again while what failed may pass (see NotYet), backing off up to half a second. */
export async function discoverCluster(o: DiscoveryOptions): Promise<DiscoveredCluster> {
  let firstAnswer: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await discoverOnce(o);
    } catch (err) {
      if (!(err instanceof NotYet)) throw err;
      const now = Date.now();
      if (err.answered) firstAnswer ??= now;
      if (now >= o.deadline || (err.answered && now - firstAnswer! >= SIGNATURE_GRACE_MS)) throw new CliError(err.message);
      if (attempt === 0) o.onWaiting?.(err.message);
      await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, RETRY_MAX_MS)));
    }
  }
}

async function discoverOnce(o: DiscoveryOptions): Promise<DiscoveredCluster> {
  const data = await fetchClusterInfo(o.endpoint, undefined, o.timeoutMs);
  const kubeconfig = data[CLUSTER_INFO_KUBECONFIG_KEY];
  if (kubeconfig === undefined) throw new NotYet('the cluster-info ConfigMap has no kubeconfig: the control plane is not set up for joining', true);
  const jws = data[`${JWS_KEY_PREFIX}${o.token.id}`];
  // kubeadm's words for both token failures.
  if (!jws) throw new NotYet(`wrong token: there is no JWS signed token in the cluster-info ConfigMap. This token id "${o.token.id}" is invalid for this cluster (unknown or expired), can't connect`, true);
  if (!verifyDetachedJWS(jws, kubeconfig, o.token.id, o.token.secret)) {
    throw new CliError(`wrong token: failed to verify the JWS signature of the cluster-info ConfigMap with token "${o.token.id}.<secret>" (its secret part is wrong), can't trust this API server`);
  }
  let info: { server: string; caPem: string };
  try {
    info = readClusterInfoKubeconfig(kubeconfig);
  } catch (err) {
    throw new CliError(`the cluster-info ConfigMap is unusable: ${(err as Error).message}`);
  }
  if (!o.unsafeSkipCAVerification && !o.caHashes.some((h) => caMatchesHash(info.caPem, h))) {
    throw new CliError(
      `wrong CA hash: the cluster CA found in the cluster-info ConfigMap has public key hash ${caCertHash(info.caPem)}, which none of --discovery-token-ca-cert-hash ${o.caHashes.join(', ')} pins; refusing to trust it`,
    );
  }
  // Now with the CA: the server must prove it holds a certificate that CA signed.
  const again = await fetchClusterInfo(o.endpoint, info.caPem, o.timeoutMs).catch((err: Error) => {
    // Not retried: the server answered the first read, so a failure now is its certificate's.
    throw new CliError(`the API server at ${o.endpoint} does not present a certificate of the cluster CA: ${err.message}`);
  });
  if (again[CLUSTER_INFO_KUBECONFIG_KEY] !== kubeconfig) throw new CliError('cluster-info changed between the untrusted and the verified read; try again');
  return { server: `https://${o.endpoint}`, caPem: info.caPem };
}

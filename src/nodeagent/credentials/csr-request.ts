// One TLS bootstrap or renewal: a new EC key, a CertificateSigningRequest for the node's client
// identity (signer kubernetes.io/kube-apiserver-client-kubelet, CN system:node:NAME, O
// system:nodes), then a watch on that CSR until the certificate is issued or the request is
// denied or fails. The client is whoever asks: the bootstrap token the first time, the current
// certificate on renewal.
import type { ApiClient } from '../../api/client.js';
import { csrCondition, issuedCertificate, KUBELET_CLIENT_SIGNER, KUBELET_CLIENT_USAGES, NODES_GROUP, nodeUserName } from '../../api/certificate-signing-requests.js';
import { findByKind } from '../../api/resources.js';
import { createCertificateRequest } from '../../api/pki/certificate-request.js';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import type { ClientCredentials } from './certificate-store.js';

const CSRS = findByKind('CertificateSigningRequest')!;

export class CsrRefusedError extends Error {}

export interface CsrRequestOptions {
  /** spec.expirationSeconds; absent: the signer's longest. */
  expirationSeconds?: number;
  /** How long to wait for approval and signing. */
  timeoutMs: number;
}

/** The issued certificate, or why there is none yet: undefined while it is pending. */
function outcome(csr: KubeObject): string | Error | undefined {
  const denied = csrCondition(csr, 'Denied');
  if (denied) return new CsrRefusedError(`the certificate signing request ${csr.metadata.name} was denied: ${denied.message ?? denied.reason ?? ''}`);
  const failed = csrCondition(csr, 'Failed');
  if (failed) return new CsrRefusedError(`the certificate signing request ${csr.metadata.name} failed: ${failed.message ?? failed.reason ?? ''}`);
  return issuedCertificate(csr);
}

export async function requestClientCertificate(client: ApiClient, nodeName: string, opts: CsrRequestOptions): Promise<ClientCredentials> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const request = createCertificateRequest(privateKey, nodeUserName(nodeName), [NODES_GROUP]);
  const created = await client.create(CSRS, undefined, {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: 'csr-' },
    spec: {
      request: Buffer.from(request).toString('base64'),
      signerName: KUBELET_CLIENT_SIGNER,
      usages: KUBELET_CLIENT_USAGES,
      ...(opts.expirationSeconds ? { expirationSeconds: opts.expirationSeconds } : {}),
    },
  });
  const certPem = await waitForCertificate(client, created, opts.timeoutMs);
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

function waitForCertificate(client: ApiClient, created: KubeObject, timeoutMs: number): Promise<string> {
  const name = created.metadata.name!;
  return new Promise((resolve, reject) => {
    let settled = false;
    let watch: { stop(): void } | undefined;
    const settle = (result: string | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watch?.stop();
      if (typeof result === 'string') resolve(result);
      else reject(result);
    };
    const timer = setTimeout(() => settle(new Error(`the certificate signing request ${name} was not approved and signed within ${Math.round(timeoutMs / 1000)}s`)), timeoutMs);
    const check = (csr: KubeObject) => {
      const o = outcome(csr);
      if (o !== undefined) settle(o);
    };
    check(created);
    // Watched from the revision it was created at; a watch that ends early is made again.
    const follow = async (resourceVersion: string) => {
      while (!settled) {
        let rv = resourceVersion;
        const handle = client.watch(CSRS, undefined, { fieldSelector: `metadata.name=${name}`, resourceVersion: rv }, (e) => {
          if (e.type === 'ADDED' || e.type === 'MODIFIED') {
            rv = e.object.metadata.resourceVersion ?? rv;
            check(e.object);
          } else if (e.type === 'DELETED') settle(new CsrRefusedError(`the certificate signing request ${name} was deleted before it was signed`));
        });
        watch = handle;
        await handle.done;
        if (settled) return;
        // Re-read before watching again: the outcome may have come while no watch was open.
        try {
          const csr = await client.get(CSRS, undefined, name);
          check(csr);
          resourceVersion = csr.metadata.resourceVersion ?? rv;
        } catch (err) {
          settle(err as Error);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    void follow(created.metadata.resourceVersion ?? '0');
  });
}

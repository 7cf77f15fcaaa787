// The csrsigning controller for the cluster CA's client signers: an approved request to
// kubernetes.io/kube-apiserver-client-kubelet (or kubernetes.io/kube-apiserver-client) that has
// no certificate yet gets one, written through /status; a request the signer refuses gets a
// Failed condition saying why, as Kubernetes' signer does.
import type { ApiClient } from '../../../api/client.js';
import { csrCondition, KUBE_APISERVER_CLIENT_SIGNER, KUBELET_CLIENT_SIGNER } from '../../../api/certificate-signing-requests.js';
import { ApiError } from '../../../api/errors.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { parseCertificateRequest } from '../../../api/pki/certificate-request.js';
import type { CertificateAuthority } from '../../../api/pki/x509.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { kubeletClientCsrProblems } from './kubelet-client-csr.js';
import { certificateValidity } from './signing-policy.js';

const CSRS = findByKind('CertificateSigningRequest')!;
const SIGNERS = new Set([KUBELET_CLIENT_SIGNER, KUBE_APISERVER_CLIENT_SIGNER]);

export interface SignerOptions {
  ca: CertificateAuthority;
  /** The longest certificate issued (--cluster-signing-duration). */
  maxDurationMs: number;
}

export class CsrSigner {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly csrs: Informer,
    private readonly opts: SignerOptions,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`csrsigning: ${key}: ${(err as Error).message}`), { name: 'certificate' });
    const enqueue = (csr: KubeObject) => this.queue.add(objectKey(csr));
    csrs.addHandlers({ add: enqueue, update: (_old, csr) => enqueue(csr) });
  }

  async sync(key: string): Promise<void> {
    const csr = this.csrs.get(key);
    if (!csr || !SIGNERS.has(csr.spec?.signerName) || !csrCondition(csr, 'Approved') || csrCondition(csr, 'Failed') || csr.status?.certificate) return;
    const outcome = await this.sign(csr);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const updated = structuredClone(csr);
    if ('certificate' in outcome) updated.status = { ...(csr.status ?? {}), certificate: Buffer.from(outcome.certificate).toString('base64') };
    else {
      updated.status = {
        ...(csr.status ?? {}),
        conditions: [...(csr.status?.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: outcome.failure, lastUpdateTime: now, lastTransitionTime: now }],
      };
    }
    try {
      await this.client.update(CSRS, undefined, updated, { subresource: 'status' });
    } catch (err) {
      if (err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
      throw err;
    }
  }

  private async sign(csr: KubeObject): Promise<{ certificate: string } | { failure: string }> {
    let req;
    try {
      req = parseCertificateRequest(Buffer.from(csr.spec.request, 'base64').toString('utf8'));
    } catch (err) {
      return { failure: `unable to parse csr: ${(err as Error).message}` };
    }
    const usages: string[] = csr.spec.usages ?? [];
    if (csr.spec.signerName === KUBELET_CLIENT_SIGNER) {
      const problems = kubeletClientCsrProblems(req, usages);
      if (problems.length) return { failure: `invalid kubelet client certificate request: ${problems.join('; ')}` };
    } else if (!usages.includes('client auth') || usages.includes('server auth')) {
      return { failure: 'invalid usage for client certificate: client auth is required and server auth is not allowed' };
    }
    const { notBefore, notAfter } = certificateValidity(new Date(), csr.spec.expirationSeconds, this.opts.maxDurationMs);
    // Loaded at the first signing, not at the daemon's start.
    const { issueCertificate } = await import('../../../api/pki/x509.js');
    const certificate = await issueCertificate(this.opts.ca, {
      publicKey: req.publicKeyDer,
      subject: { commonName: req.commonName, organizations: req.organizations },
      use: 'client',
      notBefore,
      notAfter,
    });
    return { certificate };
  }
}

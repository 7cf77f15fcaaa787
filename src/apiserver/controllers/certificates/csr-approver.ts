// The csrapproving controller: approves, through /approval, the CertificateSigningRequests the
// approval policy allows (approval-policy.ts). Level-triggered: every pending CSR is looked at
// whenever it changes, and one already decided is left alone.
import type { ApiClient } from '../../../api/client.js';
import { csrCondition } from '../../../api/certificate-signing-requests.js';
import { ApiError } from '../../../api/errors.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { autoApproval } from './approval-policy.js';

const CSRS = findByKind('CertificateSigningRequest')!;

export class CsrApprover {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly csrs: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`csrapproving: ${key}: ${(err as Error).message}`), { name: 'csrapproving' });
    const enqueue = (csr: KubeObject) => this.queue.add(objectKey(csr));
    csrs.addHandlers({ add: enqueue, update: (_old, csr) => enqueue(csr) });
  }

  async sync(key: string): Promise<void> {
    const csr = this.csrs.get(key);
    if (!csr || csrCondition(csr, 'Approved') || csrCondition(csr, 'Denied') || csr.status?.certificate) return;
    const decision = autoApproval(csr);
    if (!decision.approve) return;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const approved = structuredClone(csr);
    approved.status = {
      ...(csr.status ?? {}),
      conditions: [
        ...(csr.status?.conditions ?? []),
        { type: 'Approved', status: 'True', reason: decision.reason, message: decision.message, lastUpdateTime: now, lastTransitionTime: now },
      ],
    };
    try {
      await this.client.update(CSRS, undefined, approved, { subresource: 'approval' });
    } catch (err) {
      // Gone, or changed since the cache saw it: the next event brings it back if still pending.
      if (err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
      throw err;
    }
  }
}

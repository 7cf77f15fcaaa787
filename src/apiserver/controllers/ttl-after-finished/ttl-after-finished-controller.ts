// Kubernetes' TTL-after-finished controller: deletes a finished Job (Complete or Failed) once
// spec.ttlSecondsAfterFinished have passed since it finished, with background propagation so its
// pods go too. It waits on a timer per job, never polls.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';

const JOBS = findByKind('Job')!;

/** When the job may be deleted (ms since the epoch), or undefined if it has no TTL or has not finished. */
export function expiresAt(job: Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl == null) return undefined;
  const finished = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!finished) return undefined;
  const at = Date.parse(finished.lastTransitionTime ?? job.status?.completionTime ?? '');
  return Number.isNaN(at) ? undefined : at + ttl * 1000;
}

export class TtlAfterFinishedController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly jobs: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`ttl-after-finished ${key}: ${(err as Error).message}`), { name: 'ttl_jobs_to_delete' });
    const enqueue = (job: KubeObject) => {
      if (expiresAt(job as Job) !== undefined && !job.metadata.deletionTimestamp) this.queue.add(objectKey(job));
    };
    jobs.addHandlers({ add: enqueue, update: (_old, job) => enqueue(job) });
  }

  async sync(key: string): Promise<void> {
    const cached = this.jobs.get(key) as Job | undefined;
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const at = expiresAt(cached);
    if (at === undefined) return;
    const wait = at - Date.now();
    if (wait > 0) {
      this.queue.addAfter(key, wait);
      return;
    }
    // The cache may lag: the TTL may have been changed or removed since. Check the stored job.
    const [namespace, name] = key.split('/');
    let job: Job;
    try {
      job = (await this.client.get(JOBS, namespace, name)) as unknown as Job;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      throw err;
    }
    const fresh = expiresAt(job);
    if (fresh === undefined) return;
    if (fresh > Date.now()) {
      this.queue.addAfter(key, fresh - Date.now());
      return;
    }
    try {
      await this.client.delete(JOBS, namespace, name, { propagationPolicy: 'Background', preconditions: { uid: job.metadata!.uid } });
    } catch (err) {
      if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
    }
  }
}

// Kubernetes' cronjob controller (v2): creates a Job for each scheduled time of a CronJob, keeps
// its active list and history, and requeues each CronJob for its next scheduled time (no polling).
// planCronJobSync decides; this file reads the caches, acts, writes the status and the events.
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { controllerOf } from '../controller-ref.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { isJobFinished } from '../job/job-sync.js';
import { planCronJobSync } from './cronjob-sync.js';

const CRONJOBS = findByKind('CronJob')!;
const JOBS = findByKind('Job')!;

function jobReference(job: KubeObject): ObjectReference {
  const { name, namespace, uid, resourceVersion } = job.metadata;
  return { apiVersion: 'batch/v1', kind: 'Job', name, namespace, uid, resourceVersion };
}

export class CronJobController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: ApiClient,
    private readonly cronJobs: Informer,
    private readonly jobs: Informer,
    log: (msg: string) => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.recorder = new EventRecorder(client, { component: 'cronjob-controller' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`cronjob ${key}: ${(err as Error).message}`), { name: 'cronjob' });
    cronJobs.addHandlers({ add: (cj) => this.queue.add(objectKey(cj)), update: (_old, cj) => this.queue.add(objectKey(cj)) });
    const enqueueOwner = (job: KubeObject) => {
      const ref = controllerOf(job);
      if (ref?.kind === 'CronJob' && ref.apiVersion === 'batch/v1') this.queue.add(`${job.metadata.namespace}/${ref.name}`);
    };
    jobs.addHandlers({ add: enqueueOwner, update: (_old, job) => enqueueOwner(job), delete: enqueueOwner });
  }

  async sync(key: string): Promise<void> {
    let cronJob = this.cronJobs.get(key) as CronJob | undefined;
    if (!cronJob) return;
    const namespace = cronJob.metadata!.namespace!;
    const jobs = this.jobs.list(namespace).filter((j) => controllerOf(j)?.uid === cronJob!.metadata!.uid) as unknown as Job[];
    const activeUids = new Set((cronJob.status?.active ?? []).map((r) => r.uid));
    // A running job missing from the cached active list may be one this controller just created
    // (the cache has not seen that status yet): ask the API, as Kubernetes does.
    if (jobs.some((j) => !activeUids.has(j.metadata!.uid) && !isJobFinished(j))) {
      cronJob = (await this.client.get(CRONJOBS, namespace, cronJob.metadata!.name!)) as unknown as CronJob;
    }
    for (const ref of cronJob.status?.active ?? []) {
      if (jobs.some((j) => j.metadata!.uid === ref.uid)) continue;
      const stored = await this.getJob(namespace, ref.name!);
      if (stored && stored.metadata!.uid === ref.uid) jobs.push(stored);
    }

    const plan = planCronJobSync(cronJob, jobs, this.now());
    const ref = referenceTo(cronJob as KubeObject);
    for (const e of plan.events) this.recorder.event(ref, e.type, e.reason, e.message);
    for (const old of plan.replace) await this.deleteJob(cronJob, old.name!);
    if (plan.create) {
      const created = await this.createJob(cronJob, plan.create.job);
      plan.status.active = [...(plan.status.active ?? []), jobReference(created)];
    }
    if (JSON.stringify(plan.status) !== JSON.stringify(cronJob.status ?? {})) {
      await this.client.update(CRONJOBS, namespace, { ...(cronJob as KubeObject), status: plan.status }, { subresource: 'status' });
    }
    for (const job of plan.deleteHistory) await this.deleteJob(cronJob, job.metadata!.name!);
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private async getJob(namespace: string, name: string): Promise<Job | undefined> {
    try {
      return (await this.client.get(JOBS, namespace, name)) as unknown as Job;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }

  /** Creates the run's job; one already there under that name (made by an earlier try) counts if it is ours. */
  private async createJob(cronJob: CronJob, job: Job): Promise<KubeObject> {
    const namespace = cronJob.metadata!.namespace!;
    try {
      const created = await this.client.create(JOBS, namespace, job as KubeObject);
      this.recorder.event(referenceTo(cronJob as KubeObject), 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
      return created;
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'AlreadyExists') {
        const existing = await this.getJob(namespace, job.metadata!.name!);
        if (existing && controllerOf(existing as KubeObject)?.uid === cronJob.metadata!.uid) return existing as KubeObject;
      }
      this.recorder.event(referenceTo(cronJob as KubeObject), 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
      throw err;
    }
  }

  private async deleteJob(cronJob: CronJob, name: string): Promise<void> {
    try {
      await this.client.delete(JOBS, cronJob.metadata!.namespace!, name, { propagationPolicy: 'Background' });
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return;
      this.recorder.event(referenceTo(cronJob as KubeObject), 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
      throw err;
    }
    this.recorder.event(referenceTo(cronJob as KubeObject), 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  }
}

// Kubernetes' job controller: runs a Job's pods to completion. sync(key) reads the Job and its pods
// from the informers, asks planJobSync what to do, creates and deletes pods, writes the status and
// records events as Kubernetes does, and asks to look again for back-offs and deadlines.
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { EventRecorder, referenceTo } from '../../../api/event-recorder.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { controllerOf } from '../controller-ref.js';
import { objectKey, type Informer } from '../../../api/informer.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { podForJob } from './job-pod.js';
import { isJobFinished, planJobSync } from './job-sync.js';
import { PendingPods } from './pending-pods.js';

const JOBS = findByKind('Job')!;
const PODS = findByKind('Pod')!;

export class JobController {
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly pending = new PendingPods();
  /** Job UID -> UIDs of its finished pods already counted in its status. */
  private readonly counted = new Map<string, Set<string>>();

  constructor(
    private readonly client: ApiClient,
    private readonly jobs: Informer,
    private readonly pods: Informer,
    log: (msg: string) => void,
  ) {
    this.recorder = new EventRecorder(client, { component: 'job-controller' }, log);
    this.queue = new WorkQueue((key) => this.sync(key), (key, err) => log(`job ${key}: ${(err as Error).message}`), { name: 'job' });
    jobs.addHandlers({
      add: (job) => this.queue.add(objectKey(job)),
      update: (_old, job) => this.queue.add(objectKey(job)),
      delete: (job) => {
        this.counted.delete(job.metadata.uid!);
        this.pending.forget(objectKey(job));
      },
    });
    const enqueueOwner = (pod: KubeObject) => {
      const ref = controllerOf(pod);
      if (ref?.kind === 'Job' && ref.apiVersion === 'batch/v1') this.queue.add(`${pod.metadata.namespace}/${ref.name}`);
    };
    pods.addHandlers({ add: enqueueOwner, update: (_old, pod) => enqueueOwner(pod), delete: enqueueOwner });
  }

  async sync(key: string): Promise<void> {
    const job = this.jobs.get(key) as Job | undefined;
    if (!job || job.metadata?.deletionTimestamp) return;
    const uid = job.metadata!.uid!;
    if (isJobFinished(job)) {
      this.counted.delete(uid);
      return;
    }
    const owned = this.pods
      .list(job.metadata!.namespace)
      .filter((p) => controllerOf(p)?.uid === uid) as unknown as Pod[];
    const pods = this.pending.apply(key, owned);
    const plan = planJobSync({ job, pods, now: Date.now(), counted: this.counted.get(uid) });

    await Promise.all([...plan.create.map((index) => this.createPod(key, job, index)), ...plan.delete.map((pod) => this.deletePod(key, job, pod))]);
    if (JSON.stringify(plan.status) !== JSON.stringify(job.status ?? {})) {
      await this.client.update(JOBS, job.metadata!.namespace, { ...(job as KubeObject), status: plan.status }, { subresource: 'status' });
    }
    // Counted only once the status that counts them is stored.
    const counted = this.counted.get(uid) ?? new Set<string>();
    for (const podUid of plan.newlyCounted) counted.add(podUid);
    const present = new Set(pods.map((p) => p.metadata!.uid!));
    for (const podUid of counted) if (!present.has(podUid)) counted.delete(podUid);
    this.counted.set(uid, counted);
    for (const e of plan.events) this.recorder.event(referenceTo(job as KubeObject), e.type, e.reason, e.message);
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
  }

  private async createPod(key: string, job: Job, index: number | undefined): Promise<void> {
    try {
      const pod = (await this.client.create(PODS, job.metadata!.namespace, podForJob(job, index) as KubeObject)) as unknown as Pod;
      this.pending.created(key, pod);
      this.recorder.event(referenceTo(job as KubeObject), 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`);
    } catch (err) {
      this.recorder.event(referenceTo(job as KubeObject), 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  private async deletePod(key: string, job: Job, pod: Pod): Promise<void> {
    try {
      await this.client.delete(PODS, pod.metadata!.namespace, pod.metadata!.name!, { preconditions: { uid: pod.metadata!.uid } });
      this.pending.deleted(key, pod);
      this.recorder.event(referenceTo(job as KubeObject), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`);
    } catch (err) {
      if (err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
      this.recorder.event(referenceTo(job as KubeObject), 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      throw err;
    }
  }
}

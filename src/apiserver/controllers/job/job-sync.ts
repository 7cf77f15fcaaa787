// What one sync of a Job should do, decided from the Job and its pods as the informers show them:
// how many pods to create (which indexes), which to delete, the new status and conditions, and
// when to look again. Pure, so every decision is table-tested; job-controller.ts carries it out.
//
// Finished pods are counted once each by UID (`counted`, kept by the controller while it runs),
// so deleting a finished pod never lowers status.succeeded/failed. Kubernetes makes the same
// guarantee across controller restarts with the batch.kubernetes.io/job-tracking finalizer;
// kctl does not put that finalizer on pods: after a restart the counts are the larger of the
// stored status and the finished pods still there.
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { remainingBackoffMs } from './backoff.js';
import { formatIndexes, parseIndexes, podIndex } from './indexes.js';

export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface JobSyncInput {
  job: Job;
  pods: Pod[];
  now: number;
  /** UIDs of finished pods already in status counts; undefined on the first look since the controller started. */
  counted?: ReadonlySet<string>;
}

export interface JobPlan {
  /** One entry per pod to create: its completion index (Indexed) or undefined. */
  create: Array<number | undefined>;
  delete: Pod[];
  status: JobStatus;
  /** UIDs that `status` counts and `counted` did not (to remember once the status is written). */
  newlyCounted: string[];
  events: JobEvent[];
  /** Look again after this long (pod failure back-off, active deadline). */
  requeueAfterMs?: number;
}

export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';
export const REASON_BACKOFF_LIMIT = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF_LIMIT = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE = 'DeadlineExceeded';
export const MESSAGE_DEADLINE = 'Job was active longer than specified deadline';

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isReady = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
/**
 * With podReplacementPolicy TerminatingOrFailed a pod being deleted is failed already, as in
 * Kubernetes, except the pods a suspended job stops.
 */
const isFailed = (pod: Pod, suspended: boolean) =>
  pod.status?.phase === 'Failed' || (!suspended && !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded');

export function conditionOf(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

export function isJobFinished(job: Job): boolean {
  return !!(conditionOf(job, 'Complete') ?? conditionOf(job, 'Failed'));
}

export function planJobSync(input: JobSyncInput): JobPlan {
  const { job, now } = input;
  const spec = job.spec!;
  const old = job.status ?? {};
  const nowText = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status: JobStatus = { ...old, conditions: [...(old.conditions ?? [])] };
  const plan: JobPlan = { create: [], delete: [], status, newlyCounted: [], events: [] };
  if (isJobFinished(job)) return plan;

  const active = input.pods.filter((p) => !isTerminal(p) && !p.metadata?.deletionTimestamp);
  const terminating = input.pods.filter((p) => !isTerminal(p) && !!p.metadata?.deletionTimestamp);
  countFinished(input, plan);

  const setCondition = (type: string, condStatus: 'True' | 'False', reason: string, message: string) => {
    const conditions = status.conditions!;
    const existing = conditions.findIndex((c) => c.type === type);
    if (existing >= 0 && conditions[existing].status === condStatus) return;
    const condition = { type, status: condStatus, lastProbeTime: nowText, lastTransitionTime: nowText, reason, message };
    if (existing >= 0) conditions[existing] = condition;
    else conditions.push(condition);
  };

  const suspended = spec.suspend === true;
  const wasSuspended = conditionOf(job, 'Suspended') !== undefined;
  if (suspended && !wasSuspended && !conditionOf(job, 'FailureTarget') && !conditionOf(job, 'SuccessCriteriaMet')) {
    setCondition('Suspended', 'True', 'JobSuspended', 'Job suspended');
    plan.events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
  } else if (!suspended && wasSuspended) {
    setCondition('Suspended', 'False', 'JobResumed', 'Job resumed');
    plan.events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    // The active deadline counts from the resumption.
    status.startTime = nowText;
  }
  if (!suspended) status.startTime ??= nowText;

  const completions = spec.completions ?? undefined;
  const indexed = spec.completionMode === 'Indexed';
  const succeededIndexes = indexed ? completedIndexes(input, completions!) : undefined;

  // Failure first, as Kubernetes checks it: too many failures, then the active deadline.
  let failure = conditionOf(job, 'FailureTarget');
  let success = conditionOf(job, 'SuccessCriteriaMet');
  if (!failure && !success) {
    const deadlineMs = spec.activeDeadlineSeconds != null && status.startTime && !suspended
      ? Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now
      : undefined;
    if (status.failed! > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, active)) {
      setCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT, MESSAGE_BACKOFF_LIMIT);
    } else if (deadlineMs !== undefined && deadlineMs <= 0) {
      setCondition('FailureTarget', 'True', REASON_DEADLINE, MESSAGE_DEADLINE);
    } else {
      const done = indexed
        ? succeededIndexes!.size >= completions!
        : completions != null
          ? status.succeeded! >= completions
          : status.succeeded! > 0 && active.length === 0;
      if (done) setCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED);
      else if (deadlineMs !== undefined) plan.requeueAfterMs = deadlineMs;
    }
    failure = status.conditions!.find((c) => c.type === 'FailureTarget');
    success = status.conditions!.find((c) => c.type === 'SuccessCriteriaMet');
  }

  if (failure || success) {
    // Finishing: no pod runs on; the final condition waits until every pod has stopped.
    plan.delete = active;
    if (active.length === 0 && terminating.length === 0) {
      if (failure) {
        setCondition('Failed', 'True', failure.reason!, failure.message!);
        plan.events.push({ type: 'Warning', reason: failure.reason!, message: failure.message! });
      } else {
        setCondition('Complete', 'True', success!.reason!, success!.message!);
        status.completionTime = nowText;
        plan.events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
      }
    }
  } else if (suspended) {
    plan.delete = active;
  } else if (indexed) {
    manageIndexed(plan, active, completions!, spec.parallelism ?? 1, succeededIndexes!, input, now);
  } else {
    manageNonIndexed(plan, active, completions, spec.parallelism ?? 1, input, now);
  }

  // Pods being deleted now are failures too (their UIDs are counted here so they are counted once).
  for (const pod of suspended && !failure && !success ? [] : plan.delete) {
    if (pod.status?.phase === 'Succeeded' || input.counted?.has(pod.metadata!.uid!) || plan.newlyCounted.includes(pod.metadata!.uid!)) continue;
    status.failed! += 1;
    plan.newlyCounted.push(pod.metadata!.uid!);
  }
  const deleted = new Set(plan.delete);
  const stillActive = active.filter((p) => !deleted.has(p));
  status.active = stillActive.length + plan.create.length;
  status.ready = stillActive.filter(isReady).length;
  status.terminating = terminating.length + plan.delete.length;
  status.uncountedTerminatedPods = {};
  if (indexed) {
    const text = formatIndexes(succeededIndexes!);
    if (text) status.completedIndexes = text;
    else delete status.completedIndexes;
  }
  if (!status.conditions!.length) delete status.conditions;
  return plan;
}

/** Adds the finished pods not yet counted to status.succeeded/failed. */
function countFinished(input: JobSyncInput, plan: JobPlan): void {
  const { status } = plan;
  const succeeded = input.pods.filter((p) => p.status?.phase === 'Succeeded');
  const suspended = input.job.spec?.suspend === true;
  const failed = input.pods.filter((p) => p.status?.phase !== 'Succeeded' && isFailed(p, suspended));
  if (!input.counted) {
    status.succeeded = Math.max(status.succeeded ?? 0, succeeded.length);
    status.failed = Math.max(status.failed ?? 0, failed.length);
    plan.newlyCounted = [...succeeded, ...failed].map((p) => p.metadata!.uid!);
    return;
  }
  const fresh = (pods: Pod[]) => pods.filter((p) => !input.counted!.has(p.metadata!.uid!));
  const newSucceeded = fresh(succeeded);
  const newFailed = fresh(failed);
  status.succeeded = (status.succeeded ?? 0) + newSucceeded.length;
  status.failed = (status.failed ?? 0) + newFailed.length;
  plan.newlyCounted = [...newSucceeded, ...newFailed].map((p) => p.metadata!.uid!);
}

function completedIndexes(input: JobSyncInput, completions: number): Set<number> {
  const done = new Set([...parseIndexes(input.job.status?.completedIndexes)].filter((i) => i < completions));
  for (const pod of input.pods) {
    const index = pod.status?.phase === 'Succeeded' ? podIndex(pod, completions) : undefined;
    if (index !== undefined) done.add(index);
  }
  return done;
}

/** With restartPolicy OnFailure failures are container restarts in the running pods. */
function pastBackoffLimitOnFailure(job: Job, active: Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of active) {
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Creations wait for the pod failure back-off; returns whether they may happen now. */
function backoffAllows(plan: JobPlan, input: JobSyncInput, now: number): boolean {
  const finished = input.pods.filter(isTerminal).map((pod) => ({ pod, failed: pod.status?.phase === 'Failed' }));
  const wait = remainingBackoffMs(finished, now);
  if (wait <= 0) return true;
  plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait);
  return false;
}

/** Newest and least advanced first: the pods whose loss costs least. */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (p: Pod) => (!p.spec?.nodeName ? 0 : p.status?.phase === 'Pending' ? 1 : isReady(p) ? 3 : 2);
  return rank(a) - rank(b) || (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '');
}

function manageNonIndexed(plan: JobPlan, active: Pod[], completions: number | undefined, parallelism: number, input: JobSyncInput, now: number): void {
  const succeeded = plan.status.succeeded!;
  let want: number;
  if (completions != null) want = Math.max(0, Math.min(parallelism, completions - succeeded));
  else want = succeeded > 0 ? Math.min(active.length, parallelism) : parallelism;
  if (active.length > want) {
    plan.delete = [...active].sort(deletionOrder).slice(0, active.length - want);
  } else if (active.length < want && backoffAllows(plan, input, now)) {
    plan.create = new Array(want - active.length).fill(undefined);
  }
}

function manageIndexed(plan: JobPlan, active: Pod[], completions: number, parallelism: number, done: Set<number>, input: JobSyncInput, now: number): void {
  const running = new Map<number, Pod>();
  const extra: Pod[] = [];
  for (const pod of [...active].sort((a, b) => -deletionOrder(a, b))) {
    const index = podIndex(pod, completions);
    // Pods of no valid index, of an index already done, or a second pod of one index go.
    if (index === undefined || done.has(index) || running.has(index)) extra.push(pod);
    else running.set(index, pod);
  }
  // Over parallelism (it was lowered): the highest indexes stop first.
  const kept = [...running.keys()].sort((a, b) => a - b);
  for (const index of kept.slice(parallelism)) extra.push(running.get(index)!);
  plan.delete = extra;
  const room = parallelism - Math.min(kept.length, parallelism);
  if (room <= 0) return;
  const missing: number[] = [];
  for (let i = 0; i < completions && missing.length < room; i++) if (!done.has(i) && !running.has(i)) missing.push(i);
  if (missing.length && backoffAllows(plan, input, now)) plan.create = missing;
}

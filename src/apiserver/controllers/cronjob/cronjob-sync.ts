// What one sync of a CronJob should do, decided from the CronJob and the Jobs it controls at a
// given time, as Kubernetes' cronjob controller (v2) decides it: which finished jobs leave the
// active list, whether a scheduled run is due (and missed, forbidden, or replacing the running
// ones), which finished jobs exceed the history limits, and when the next run is. Pure.
import type { CronJob, CronJobStatus, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { mostRecentScheduleTime, parseCronSchedule } from '../../../api/cron/schedule.js';
import { localTimeZone, zonedClock } from '../../../api/cron/zoned-clock.js';
import { conditionOf } from '../job/job-sync.js';

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Requeue a little after the scheduled time, so a clock a bit behind still finds the run due. */
const NEXT_SCHEDULE_DELTA_MS = 100;
const TOO_MANY_MISSED = 100;

export interface CronJobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface CronJobPlan {
  status: CronJobStatus;
  /** Events to record before acting (what was seen). */
  events: CronJobEvent[];
  /** Active jobs to delete first (concurrencyPolicy Replace). */
  replace: ObjectReference[];
  /** The job to create for a due run. */
  create?: { job: Job; scheduledTime: Date };
  /** Finished jobs beyond the history limits, oldest first. */
  deleteHistory: Job[];
  requeueAfterMs?: number;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const finishedType = (job: Job) => (conditionOf(job, 'Complete') ? 'Complete' : conditionOf(job, 'Failed') ? 'Failed' : undefined);

/** `<cronjob>-<scheduled time in minutes since the epoch>`: the name is the lock against running one time twice. */
export function jobNameFor(cronJobName: string, scheduledTime: Date): string {
  return `${cronJobName}-${Math.floor(scheduledTime.getTime() / 60_000)}`;
}

export function planCronJobSync(cronJob: CronJob, jobs: Job[], now: Date): CronJobPlan {
  const spec = cronJob.spec!;
  const status: CronJobStatus = { ...(cronJob.status ?? {}) };
  let active = [...(status.active ?? [])];
  const plan: CronJobPlan = { status, events: [], replace: [], deleteHistory: [] };
  const event = (type: CronJobEvent['type'], reason: string, message: string) => plan.events.push({ type, reason, message });

  const children = new Set<string>();
  for (const job of jobs) {
    const uid = job.metadata!.uid!;
    children.add(uid);
    const finished = finishedType(job);
    const isActive = active.some((r) => r.uid === uid);
    if (!isActive && !finished) {
      event('Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata!.name}`);
    } else if (isActive && finished) {
      active = active.filter((r) => r.uid !== uid);
      event('Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata!.name}, status: ${finished}`);
    }
    const completed = finished === 'Complete' ? job.status?.completionTime : undefined;
    if (completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = completed;
  }
  for (const ref of active) {
    if (children.has(ref.uid!)) continue;
    event('Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
  }
  active = active.filter((r) => children.has(r.uid!));
  status.active = active;
  plan.deleteHistory = overHistoryLimits(cronJob, jobs);

  if (cronJob.metadata?.deletionTimestamp) return finish(plan);
  const timeZone = spec.timeZone ?? localTimeZone();
  try {
    zonedClock(timeZone);
  } catch (err) {
    event('Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: ${(err as Error).message}`);
    return finish(plan);
  }
  if (spec.suspend) return finish(plan);
  const schedule = parseCronSchedule(spec.schedule, timeZone);
  if (typeof schedule === 'string') {
    event('Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${schedule}`);
    return finish(plan);
  }

  const last = status.lastScheduleTime ?? cronJob.metadata!.creationTimestamp!;
  let earliest = Date.parse(last);
  // Runs older than the starting deadline are not started any more, so need not be looked for.
  if (spec.startingDeadlineSeconds != null) earliest = Math.max(earliest, now.getTime() - spec.startingDeadlineSeconds * 1000);
  const recent = mostRecentScheduleTime(schedule, new Date(earliest), now);
  const nextRun = schedule.next(recent.time ?? new Date(Date.parse(last)));
  if (nextRun) plan.requeueAfterMs = Math.max(0, nextRun.getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime());
  if (recent.missed > TOO_MANY_MISSED) {
    event('Warning', 'TooManyMissedTimes', `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
  }
  const scheduled = recent.time;
  if (!scheduled) return finish(plan);
  if (spec.startingDeadlineSeconds != null && scheduled.getTime() + spec.startingDeadlineSeconds * 1000 < now.getTime()) {
    event('Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
    return finish(plan);
  }
  const name = jobNameFor(cronJob.metadata!.name!, scheduled);
  if (active.some((r) => r.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled.getTime())) return finish(plan);
  if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    event('Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return finish(plan);
  }
  if (spec.concurrencyPolicy === 'Replace') {
    plan.replace = active;
    status.active = [];
  }
  plan.create = { job: jobFromTemplate(cronJob, scheduled, timeZone), scheduledTime: scheduled };
  status.lastScheduleTime = rfc3339(scheduled);
  return finish(plan);
}

function finish(plan: CronJobPlan): CronJobPlan {
  if (!plan.status.active?.length) delete plan.status.active;
  return plan;
}

/** Finished jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest start first. */
function overHistoryLimits(cronJob: CronJob, jobs: Job[]): Job[] {
  const spec = cronJob.spec!;
  const byStart = (a: Job, b: Job) => {
    const sa = a.status?.startTime;
    const sb = b.status?.startTime;
    if (!sa || !sb) return sa ? -1 : sb ? 1 : a.metadata!.name!.localeCompare(b.metadata!.name!);
    return Date.parse(sa) - Date.parse(sb) || a.metadata!.name!.localeCompare(b.metadata!.name!);
  };
  const out: Job[] = [];
  for (const [type, limit] of [['Complete', spec.successfulJobsHistoryLimit], ['Failed', spec.failedJobsHistoryLimit]] as const) {
    if (limit == null) continue;
    const finished = jobs.filter((j) => !j.metadata?.deletionTimestamp && finishedType(j) === type).sort(byStart);
    out.push(...finished.slice(0, Math.max(0, finished.length - limit)));
  }
  return out;
}

/** The Job for a scheduled run: the template's labels, annotations and spec, controlled by the CronJob. */
function jobFromTemplate(cronJob: CronJob, scheduled: Date, timeZone: string): Job {
  const template = cronJob.spec!.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cronJob.metadata!.name!, scheduled),
      namespace: cronJob.metadata!.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: zonedRfc3339(scheduled, timeZone) },
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata!.name!, uid: cronJob.metadata!.uid!, controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: structuredClone(template.spec!),
  };
}

/** RFC 3339 with the zone's offset at that instant (`Z` in UTC), as Go formats a time in a location. */
export function zonedRfc3339(instant: Date, timeZone: string): string {
  const wall = zonedClock(timeZone).wallAt(instant.getTime());
  const offsetMin = Math.round((wall - instant.getTime()) / 60_000);
  const text = new Date(wall).toISOString().replace(/\.\d{3}Z$/, '');
  if (offsetMin === 0) return `${text}Z`;
  const abs = Math.abs(offsetMin);
  return `${text}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Go's time.RFC1123Z layout in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

// CronJobs: batch/v1 defaults, a valid schedule and time zone, a job template whose pods run to
// completion, and a name short enough for the jobs named after it.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { invalid, required, validateNonnegative } from './field-errors.js';
import { cronScheduleError } from '../../../api/cron/schedule.js';
import { validateJobSpec } from './job.js';

// Job names are the cron job's name plus "-" and an up to 10 digit time: they must stay a 63 character label.
const MAX_NAME_LENGTH = 52;

function applyDefaults(cronJob: KubeObject): void {
  const spec = (cronJob.spec ??= {});
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  applyPodTemplateDefaults(spec.jobTemplate?.spec?.template);
}

function validateSchedule(schedule: string | undefined): StatusCause[] {
  const field = 'spec.schedule';
  if (!schedule) return [required(field)];
  if (schedule.includes('TZ')) return [invalid(field, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  const error = cronScheduleError(schedule);
  return error ? [invalid(field, schedule, error)] : [];
}

function validateTimeZone(timeZone: string | undefined): StatusCause[] {
  const field = 'spec.timeZone';
  if (timeZone === undefined) return [];
  if (timeZone === '') return [invalid(field, timeZone, 'timeZone must be nil or non-empty string')];
  if (timeZone.toLowerCase() === 'local') {
    return [invalid(field, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return [];
  } catch {
    return [invalid(field, timeZone, `unknown time zone ${timeZone}`)];
  }
}

function validate(cronJob: KubeObject): StatusCause[] {
  const spec = cronJob.spec ?? {};
  const name = cronJob.metadata.name ?? '';
  const causes: StatusCause[] = [];
  if (name.length > MAX_NAME_LENGTH) causes.push(invalid('metadata.name', name, `must be no more than ${MAX_NAME_LENGTH} characters`));
  causes.push(...validateSchedule(spec.schedule), ...validateTimeZone(spec.timeZone));
  for (const count of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    causes.push(...validateNonnegative(`spec.${count}`, spec[count]));
  }
  causes.push(...validateJobSpec(spec.jobTemplate?.spec ?? {}, 'spec.jobTemplate.spec'));
  return causes;
}

export const cronJobStrategy: Strategy = {
  applyDefaults,
  validate,
  initialStatus: () => ({}),
};

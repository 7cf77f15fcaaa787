// Job and CronJob columns (batch group).
import type { KubeObject } from '../../types.js';
import { durationBetween, timestampSince } from '../duration.js';
import { NAME_COLUMN, column, formatOptionalBool, podTemplateCells, podTemplateColumns, type ColumnPrinter } from './common.js';
import { formatLabelSelector } from './labels.js';

const JOB_SELECTOR_DOC =
  'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

export const jobColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column(
      'Completions',
      'string',
      'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
    ),
    column('Duration', 'string', 'Time required to complete the job.'),
    ...podTemplateColumns(JOB_SELECTOR_DOC),
  ],
  cells(job, now) {
    const spec = job.spec ?? {};
    const status = job.status ?? {};
    return [
      job.metadata.name,
      jobStatus(job),
      jobCompletions(job),
      jobDuration(status.startTime, status.completionTime, now),
      ...podTemplateCells(job, now, spec.template, formatLabelSelector(spec.selector)),
    ];
  },
};

export const cronJobColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column(
      'Timezone',
      'string',
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
    ),
    column(
      'Suspend',
      'boolean',
      'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
    ),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ...podTemplateColumns(JOB_SELECTOR_DOC),
  ],
  cells(cj, now) {
    const spec = cj.spec ?? {};
    const status = cj.status ?? {};
    const jobSpec = spec.jobTemplate?.spec ?? {};
    return [
      cj.metadata.name,
      spec.schedule ?? '',
      spec.timeZone ?? '<none>',
      formatOptionalBool(spec.suspend),
      (status.active ?? []).length,
      status.lastScheduleTime ? timestampSince(status.lastScheduleTime, now) : '<none>',
      ...podTemplateCells(cj, now, jobSpec.template, formatLabelSelector(jobSpec.selector)),
    ];
  },
};

/** Complete, Failed, Terminating, Suspended, FailureTarget or Running, in that precedence (kubectl 1.30+). */
function jobStatus(job: KubeObject): string {
  const conditions: Array<{ type: string; status: string }> = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.find((c) => c.type === type)?.status === 'True';
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (holds('Suspended')) return 'Suspended';
  if (holds('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `1/3`; without a completion count, `0/1`, or `0/1 of 4` for a parallel work queue. */
function jobCompletions(job: KubeObject): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(startTime: string | undefined, completionTime: string | undefined, now: Date): string {
  if (!startTime) return '';
  if (!completionTime) return timestampSince(startTime, now);
  return durationBetween(startTime, completionTime);
}

import type { CronJob, JobTemplateSpec } from 'kubernetes-types/batch/v1.js';
import { formatOptionalBool } from '../../api/printers/columns/common.js';
import { labelSelectorString } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { formatTime } from './format.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels, type PrefixWriter } from './writer.js';

const orUnset = (v: number | string | null | undefined, unit = '') => (v === undefined || v === null ? '<unset>' : `${v}${unit}`);

export const cronJobDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    const cj = obj as unknown as CronJob;
    const spec = cj.spec;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `Schedule:\t${spec?.schedule ?? ''}\n`);
      w.write(LEVEL_0, `Concurrency Policy:\t${spec?.concurrencyPolicy ?? ''}\n`);
      w.write(LEVEL_0, `Suspend:\t${formatOptionalBool(spec?.suspend)}\n`);
      w.write(LEVEL_0, `Successful Job History Limit:\t${orUnset(spec?.successfulJobsHistoryLimit)}\n`);
      w.write(LEVEL_0, `Failed Job History Limit:\t${orUnset(spec?.failedJobsHistoryLimit)}\n`);
      w.write(LEVEL_0, `Starting Deadline Seconds:\t${orUnset(spec?.startingDeadlineSeconds, 's')}\n`);
      writeJobTemplate(w, spec?.jobTemplate);
      const lastSchedule = cj.status?.lastScheduleTime;
      w.write(LEVEL_0, `Last Schedule Time:\t${lastSchedule ? formatTime(lastSchedule) : '<unset>'}\n`);
      const active = (cj.status?.active ?? []).map((j) => j.name).join(', ');
      w.write(LEVEL_0, `Active Jobs:\t${active || '<none>'}\n`);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

function writeJobTemplate(w: PrefixWriter, template: JobTemplateSpec | undefined): void {
  const spec = template?.spec;
  w.write(LEVEL_0, `Selector:\t${spec?.selector ? labelSelectorString(spec.selector) : '<unset>'}\n`);
  w.write(LEVEL_0, `Parallelism:\t${orUnset(spec?.parallelism)}\n`);
  w.write(LEVEL_0, `Completions:\t${orUnset(spec?.completions)}\n`);
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  }
  writePodTemplate(w, spec?.template);
}

import type { Job } from 'kubernetes-types/batch/v1.js';
import { labelSelectorString } from '../../api/printers/columns/labels.js';
import { humanDuration } from '../../api/printers/duration.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { formatTime } from './format.js';
import { controlledBy } from './owner.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

export const jobDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    const job = obj as unknown as Job;
    const spec = job.spec;
    const status = job.status ?? {};
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `Selector:\t${labelSelectorString(spec?.selector)}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      const controller = controlledBy(obj);
      if (controller) w.write(LEVEL_0, `Controlled By:\t${controller}\n`);
      if (isSet(spec?.parallelism)) w.write(LEVEL_0, `Parallelism:\t${spec.parallelism}\n`);
      w.write(LEVEL_0, `Completions:\t${isSet(spec?.completions) ? spec.completions : '<unset>'}\n`);
      if (spec?.completionMode) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`);
      if (isSet(spec?.suspend)) w.write(LEVEL_0, `Suspend:\t${spec.suspend}\n`);
      if (isSet(spec?.backoffLimit)) w.write(LEVEL_0, `Backoff Limit:\t${spec.backoffLimit}\n`);
      if (isSet(spec?.ttlSecondsAfterFinished)) w.write(LEVEL_0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
      if (status.startTime) w.write(LEVEL_0, `Start Time:\t${formatTime(status.startTime)}\n`);
      if (status.completionTime) w.write(LEVEL_0, `Completed At:\t${formatTime(status.completionTime)}\n`);
      if (status.startTime && status.completionTime) {
        w.write(LEVEL_0, `Duration:\t${humanDuration(Date.parse(status.completionTime) - Date.parse(status.startTime))}\n`);
      }
      if (isSet(spec?.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
      const active = status.active ?? 0;
      const ready = isSet(status.ready) ? ` (${status.ready} Ready)` : '';
      w.write(LEVEL_0, `Pods Statuses:\t${active} Active${ready} / ${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed\n`);
      if (spec?.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${capIndexes(status.completedIndexes ?? '', 50)}\n`);
      writePodTemplate(w, spec?.template);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

/** The completed indexes, cut after the first comma past `softLimit` characters. */
function capIndexes(indexes: string, softLimit: number): string {
  if (indexes.length === 0) return '<none>';
  const comma = indexes.indexOf(',', softLimit);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

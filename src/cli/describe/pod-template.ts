// The `Pod Template:` section of Deployments, ReplicaSets, ReplicationControllers, Jobs and CronJobs.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { writeContainers } from './containers.js';
import { writeTolerations, writeTopologySpreadConstraints } from './placement.js';
import { writeVolumes } from './volumes.js';
import { LEVEL_0, LEVEL_1, writeAnnotations, writeLabels, type PrefixWriter } from './writer.js';

const SPACE = '  ';

export function writePodTemplate(w: PrefixWriter, template: PodTemplateSpec | undefined): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) {
    w.write(LEVEL_1, '<unset>');
    return;
  }
  const spec = template.spec;
  writeLabels(w, `${SPACE}Labels`, template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) writeAnnotations(w, `${SPACE}Annotations`, template.metadata?.annotations);
  if (spec?.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec?.initContainers?.length) writeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, SPACE);
  writeContainers(w, 'Containers', spec?.containers ?? [], undefined, undefined, SPACE);
  writeVolumes(w, spec?.volumes, SPACE);
  writeTopologySpreadConstraints(w, spec?.topologySpreadConstraints, SPACE);
  if (spec?.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  writeLabels(w, `${SPACE}Node-Selectors`, spec?.nodeSelector);
  writeTolerations(w, `${SPACE}Tolerations`, spec?.tolerations);
}

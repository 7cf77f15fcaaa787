// ReplicationControllers: the selector is a plain label map that defaults to the template's labels,
// as do the controller's own labels; one replica by default.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { labelSelectorFromSet } from '../../../api/label-selector.js';
import { validateLabels } from '../names.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { validateReplicatedPodTemplate } from './replicated-pods.js';
import { required, validateNonnegative } from './field-errors.js';

function applyDefaults(rc: KubeObject): void {
  const spec = (rc.spec ??= {});
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels) {
    if (!Object.keys(spec.selector ?? {}).length) spec.selector = { ...templateLabels };
    if (!Object.keys(rc.metadata.labels ?? {}).length) rc.metadata.labels = { ...templateLabels };
  }
  spec.replicas ??= 1;
  applyPodTemplateDefaults(spec.template);
}

function validate(rc: KubeObject): StatusCause[] {
  const spec = rc.spec ?? {};
  const causes = [...validateNonnegative('spec.replicas', spec.replicas), ...validateNonnegative('spec.minReadySeconds', spec.minReadySeconds)];
  if (!Object.keys(spec.selector ?? {}).length) causes.push(required('spec.selector'));
  else causes.push(...validateLabels(spec.selector, 'spec.selector'));
  causes.push(...validateReplicatedPodTemplate(spec.template, labelSelectorFromSet(spec.selector), 'ReplicationController'));
  return causes;
}

export const replicationControllerStrategy: Strategy = {
  applyDefaults,
  validate,
  initialStatus: () => ({ replicas: 0 }),
};

// What the controllers that keep N copies of a pod template running (Deployment, ReplicaSet,
// ReplicationController) share in Kubernetes' validation: ValidateReplicaSetSpec's selector rules
// and ValidatePodTemplateSpecForReplicaSet.
import type { StatusCause } from '../../../api/types.js';
import type { Selector } from '../../../api/label-selector.js';
import { invalid, notSupported, required, validateNonnegative } from './field-errors.js';
import { validatePodTemplate } from './pod-spec.js';
import { formatLabelSelector, selectorOf, validateLabelSelector, validateTemplateMatchesSelector } from './selector-validation.js';

/** Replicas, a non-empty structured selector, and a template that the selector matches (Deployment, ReplicaSet). */
export function validateReplicasAndSelector(spec: any): StatusCause[] {
  const causes = [...validateNonnegative('spec.replicas', spec.replicas), ...validateNonnegative('spec.minReadySeconds', spec.minReadySeconds)];
  const selector = spec.selector;
  if (!selector) {
    causes.push(required('spec.selector'));
  } else {
    causes.push(...validateLabelSelector(selector, 'spec.selector'));
    if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) {
      // Kubernetes says "deployment" for ReplicaSets too.
      causes.push(invalid('spec.selector', formatLabelSelector(selector), 'empty selector is invalid for deployment'));
    }
  }
  const matcher = selectorOf(selector);
  if (!matcher) causes.push(invalid('spec.selector', formatLabelSelector(selector), 'invalid label selector'));
  else causes.push(...validateReplicatedPodTemplate(spec.template, matcher, 'ReplicaSet'));
  return causes;
}

/** A template for long-running replicas: matched by the selector, restarted always, no deadline. */
export function validateReplicatedPodTemplate(template: any, selector: Selector, kind: 'ReplicaSet' | 'ReplicationController'): StatusCause[] {
  const field = 'spec.template';
  if (!template) return [required(field)];
  const causes = [...validateTemplateMatchesSelector(selector, template.metadata?.labels, field), ...validatePodTemplate(template, field)];
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== 'Always') causes.push(notSupported(`${field}.spec.restartPolicy`, restartPolicy, ['Always']));
  const deadline = template.spec?.activeDeadlineSeconds;
  if (deadline != null) causes.push(invalid(`${field}.spec.activeDeadlineSeconds`, deadline, `activeDeadlineSeconds in ${kind} is not Supported`));
  return causes;
}

// Deployments: apps/v1 defaults (one replica, 25%/25% rolling update, ten old ReplicaSets kept,
// ten minutes to progress) and ValidateDeploymentSpec.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { validateReplicasAndSelector } from './replicated-pods.js';
import { forbidden, immutable, invalid, notSupported, required, validateNonnegative } from './field-errors.js';
import { semanticallyEqual } from './equality.js';
import { formatLabelSelector } from './selector-validation.js';
import { intOrString, percentOf, validateAtMost100Percent, validateIntOrPercent } from './int-or-percent.js';

function applyDefaults(deployment: KubeObject): void {
  const spec = (deployment.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= '25%';
    rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  applyPodTemplateDefaults(spec.template);
}

function validateStrategy(strategy: any): StatusCause[] {
  const field = 'spec.strategy';
  switch (strategy?.type) {
    case 'Recreate':
      return strategy.rollingUpdate ? [forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const rollingUpdate = strategy.rollingUpdate;
      if (!rollingUpdate) return [required(`${field}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const { maxUnavailable, maxSurge } = rollingUpdate;
      const causes = [
        ...validateIntOrPercent(`${field}.rollingUpdate.maxUnavailable`, maxUnavailable),
        ...validateIntOrPercent(`${field}.rollingUpdate.maxSurge`, maxSurge),
      ];
      const isZero = (v: number | string) => v === 0 || percentOf(v) === 0;
      if (isZero(maxUnavailable) && isZero(maxSurge)) {
        causes.push(invalid(`${field}.rollingUpdate.maxUnavailable`, intOrString(maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      causes.push(...validateAtMost100Percent(`${field}.rollingUpdate.maxUnavailable`, maxUnavailable));
      return causes;
    }
    default:
      return [notSupported(field, strategy, ['Recreate', 'RollingUpdate'])];
  }
}

function validate(deployment: KubeObject): StatusCause[] {
  const spec = deployment.spec ?? {};
  const causes = [...validateReplicasAndSelector(spec), ...validateStrategy(spec.strategy), ...validateNonnegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit)];
  const deadline = spec.progressDeadlineSeconds;
  if (deadline != null) {
    causes.push(...validateNonnegative('spec.progressDeadlineSeconds', deadline));
    if (deadline <= (spec.minReadySeconds ?? 0)) causes.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return causes;
}

/** apps/v1 fixes the selector at create: changing it would orphan the existing ReplicaSets. */
export function validateSelectorUnchanged(obj: KubeObject, old: KubeObject): StatusCause[] {
  if (semanticallyEqual(obj.spec?.selector, old.spec?.selector)) return [];
  return [immutable('spec.selector', formatLabelSelector(obj.spec?.selector))];
}

export const deploymentStrategy: Strategy = {
  applyDefaults,
  validate,
  validateUpdate: validateSelectorUnchanged,
  initialStatus: () => ({}),
};

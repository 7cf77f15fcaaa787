// DaemonSets: apps/v1 defaults (RollingUpdate with one unavailable and no surge, ten revisions kept)
// and the selector, template and update strategy rules of ValidateDaemonSetSpec.
import type { StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { invalid, notSupported, required, validateNonnegative } from './field-errors.js';
import { intOrString, isZero, validateAtMost100Percent, validateIntOrPercent } from './int-or-percent.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { validateReplicasAndSelector } from './replicated-pods.js';
import { validateSelectorUnchanged } from './deployment.js';

export const daemonSetStrategy: Strategy = {
  applyDefaults(ds) {
    const spec = (ds.spec ??= {});
    const updateStrategy = (spec.updateStrategy ??= {});
    updateStrategy.type ||= 'RollingUpdate';
    if (updateStrategy.type === 'RollingUpdate') {
      const rollingUpdate = (updateStrategy.rollingUpdate ??= {});
      rollingUpdate.maxUnavailable ??= 1;
      rollingUpdate.maxSurge ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    applyPodTemplateDefaults(spec.template);
  },
  validate: (ds) => [
    ...validateReplicasAndSelector(ds.spec ?? {}),
    ...validateUpdateStrategy(ds.spec?.updateStrategy),
    ...validateNonnegative('spec.revisionHistoryLimit', ds.spec?.revisionHistoryLimit),
  ],
  validateUpdate: validateSelectorUnchanged,
  initialStatus: () => ({ currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 }),
};

/** ValidateDaemonSetUpdateStrategy: exactly one of maxSurge and maxUnavailable is non-zero. */
function validateUpdateStrategy(strategy: any): StatusCause[] {
  const field = 'spec.updateStrategy';
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const rollingUpdate = strategy.rollingUpdate;
      if (!rollingUpdate) return [required(`${field}.rollingUpdate`)];
      const { maxUnavailable, maxSurge } = rollingUpdate;
      const causes = [
        ...validateIntOrPercent(`${field}.rollingUpdate.maxUnavailable`, maxUnavailable),
        ...validateIntOrPercent(`${field}.rollingUpdate.maxSurge`, maxSurge),
        ...validateAtMost100Percent(`${field}.rollingUpdate.maxUnavailable`, maxUnavailable),
        ...validateAtMost100Percent(`${field}.rollingUpdate.maxSurge`, maxSurge),
      ];
      const hasUnavailable = !isZero(maxUnavailable);
      const hasSurge = !isZero(maxSurge);
      if (hasUnavailable && hasSurge) causes.push(invalid(`${field}.rollingUpdate.maxSurge`, intOrString(maxSurge), 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) causes.push(required(`${field}.rollingUpdate.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      return causes;
    }
    default:
      return [notSupported(field, strategy, ['RollingUpdate', 'OnDelete'])];
  }
}

// DaemonSets: apps/v1 defaults (RollingUpdate with one unavailable and no surge, ten revisions kept)
// and the selector and template rules of ValidateDaemonSetSpec.
import type { Strategy } from './strategy.js';
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
  validate: (ds) => validateReplicasAndSelector(ds.spec ?? {}),
  validateUpdate: validateSelectorUnchanged,
  initialStatus: () => ({ currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 }),
};

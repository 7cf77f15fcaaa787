// StatefulSets: apps/v1 defaults (one replica, OrderedReady, RollingUpdate at partition 0, ten
// revisions kept, claims retained) and the selector and template rules of ValidateStatefulSetSpec.
import type { Strategy } from './strategy.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { validateReplicasAndSelector } from './replicated-pods.js';
import { validateSelectorUnchanged } from './deployment.js';

export const statefulSetStrategy: Strategy = {
  applyDefaults(sts) {
    const spec = (sts.spec ??= {});
    spec.replicas ??= 1;
    spec.podManagementPolicy ||= 'OrderedReady';
    const updateStrategy = (spec.updateStrategy ??= {});
    updateStrategy.type ||= 'RollingUpdate';
    if (updateStrategy.type === 'RollingUpdate') (updateStrategy.rollingUpdate ??= {}).partition ??= 0;
    spec.revisionHistoryLimit ??= 10;
    const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
    retention.whenDeleted ||= 'Retain';
    retention.whenScaled ||= 'Retain';
    applyPodTemplateDefaults(spec.template);
  },
  validate: (sts) => validateReplicasAndSelector(sts.spec ?? {}),
  validateUpdate: validateSelectorUnchanged,
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
};

// ReplicaSets: one replica by default; the same selector and template rules as Deployments.
import type { Strategy } from './strategy.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { validateReplicasAndSelector } from './replicated-pods.js';
import { validateSelectorUnchanged } from './deployment.js';

export const replicaSetStrategy: Strategy = {
  applyDefaults(rs) {
    const spec = (rs.spec ??= {});
    spec.replicas ??= 1;
    applyPodTemplateDefaults(spec.template);
  },
  validate: (rs) => validateReplicasAndSelector(rs.spec ?? {}),
  validateUpdate: validateSelectorUnchanged,
  initialStatus: () => ({ replicas: 0 }),
};

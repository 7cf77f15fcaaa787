// StatefulSets: apps/v1 defaults (one replica, OrderedReady, RollingUpdate at partition 0, ten
// revisions kept, claims retained) and the selector and template rules of ValidateStatefulSetSpec.
import type { Strategy } from './strategy.js';
import { applyPodTemplateDefaults } from './pod-spec.js';
import { validateReplicasAndSelector } from './replicated-pods.js';
import { validateSelectorUnchanged } from './deployment.js';

/**
 * The spec with each volumeClaimTemplate as a volume of the template, as the controller mounts it, so
 * containers may mount claims by their template's name (Kubernetes skips the pod spec's checks for
 * this reason, and notes that the union of volumes and claims is what should be checked).
 */
function withClaimVolumes(spec: any): any {
  const claims = (spec.volumeClaimTemplates ?? []).map((t: any) => t?.metadata?.name).filter((n: unknown) => typeof n === 'string');
  if (!claims.length || !spec.template?.spec) return spec;
  const volumes = [...(spec.template.spec.volumes ?? [])];
  for (const name of claims) if (!volumes.some((v: any) => v?.name === name)) volumes.push({ name, persistentVolumeClaim: { claimName: name } });
  return { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes } } };
}

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
  validate: (sts) => validateReplicasAndSelector(withClaimVolumes(sts.spec ?? {})),
  validateUpdate: validateSelectorUnchanged,
  initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
};

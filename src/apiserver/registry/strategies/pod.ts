// Pods: Kubernetes' SetDefaults_Pod on top of the pod spec defaults, the service account the
// ServiceAccount admission plugin fills in, the status a new pod starts with, and which parts of a
// running pod's spec an update may touch.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { applyPodSpecDefaults, validatePodSpec } from './pod-spec.js';
import { podQOSClass } from './pod-qos.js';
import { semanticallyEqual } from './equality.js';
import { forbidden, invalid } from './field-errors.js';

const UPDATABLE_FIELDS_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function applyDefaults(pod: KubeObject): void {
  const spec = (pod.spec ??= {});
  applyPodSpecDefaults(spec);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultRequestsToLimits(c);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const port of c.ports ?? []) port.hostPort ||= port.containerPort;
    }
  }
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount = 'default';
}

/** A container that sets a limit but no request for a resource requests its limit. */
function defaultRequestsToLimits(c: any): void {
  const limits = c.resources?.limits;
  if (!limits) return;
  const requests = (c.resources.requests ??= {});
  for (const [name, limit] of Object.entries(limits)) requests[name] ??= limit;
}

/** The spec with what an update may change taken out, to compare the rest. */
function fixedPart(spec: any): unknown {
  const withoutImage = (c: any) => ({ ...c, image: undefined });
  return {
    ...spec,
    containers: (spec?.containers ?? []).map(withoutImage),
    initContainers: (spec?.initContainers ?? []).map(withoutImage),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
  };
}

function validateUpdate(pod: KubeObject, old: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!semanticallyEqual(fixedPart(pod.spec), fixedPart(old.spec))) causes.push(forbidden('spec', UPDATABLE_FIELDS_MESSAGE));
  const tolerations: unknown[] = pod.spec?.tolerations ?? [];
  if (!(old.spec?.tolerations ?? []).every((t: unknown) => tolerations.some((n) => semanticallyEqual(n, t)))) {
    causes.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  const deadline = pod.spec?.activeDeadlineSeconds;
  const oldDeadline = old.spec?.activeDeadlineSeconds;
  if (oldDeadline != null) {
    if (deadline == null) causes.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if (deadline > oldDeadline) causes.push(invalid('spec.activeDeadlineSeconds', deadline, `must be less than or equal to previous value`));
  }
  return causes;
}

export const podStrategy: Strategy = {
  applyDefaults,
  validate: (pod) => validatePodSpec(pod.spec ?? {}, 'spec'),
  validateUpdate,
  initialStatus: (pod) => ({ phase: 'Pending', qosClass: podQOSClass(pod.spec) }),
};

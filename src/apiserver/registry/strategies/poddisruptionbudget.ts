// PodDisruptionBudgets (policy/v1): ValidatePodDisruptionBudgetSpec. Status is the disruption
// controller's and the eviction subresource's to write.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { GoSyntax, invalid, notSupported } from './field-errors.js';
import { validateAtMost100Percent, validateIntOrPercent } from './int-or-percent.js';
import { validateLabelSelector } from './selector-validation.js';

const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function validate(pdb: KubeObject): StatusCause[] {
  const spec = pdb.spec ?? {};
  const causes: StatusCause[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    causes.push(invalid('spec', new GoSyntax(JSON.stringify(spec)), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const name of ['minAvailable', 'maxUnavailable']) {
    causes.push(...validateIntOrPercent(`spec.${name}`, spec[name] ?? undefined), ...validateAtMost100Percent(`spec.${name}`, spec[name] ?? undefined));
  }
  causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  if (spec.unhealthyPodEvictionPolicy != null && !UNHEALTHY_POD_EVICTION_POLICIES.includes(spec.unhealthyPodEvictionPolicy)) {
    causes.push(notSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  return causes;
}

export const podDisruptionBudgetStrategy: Strategy = {
  applyDefaults() {},
  validate,
};

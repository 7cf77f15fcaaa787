// PriorityClasses: the PreemptLowerPriority default and ValidatePriorityClass (system- names
// reserved for the built-in classes, user values at most one billion, value and policy fixed).
import { HIGHEST_USER_DEFINABLE_PRIORITY, SYSTEM_PRIORITY_CLASS_PREFIX, systemClassError } from '../../../api/priority.js';
import type { StatusCause } from '../../../api/types.js';
import { forbidden, immutable, notSupported } from './field-errors.js';
import type { Strategy } from './strategy.js';

const POLICIES = ['Never', 'PreemptLowerPriority'];

export const priorityClassStrategy: Strategy = {
  applyDefaults(pc) {
    pc.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(pc) {
    const causes: StatusCause[] = [];
    const name = pc.metadata.name ?? '';
    if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
      const err = systemClassError(name, pc.value ?? 0, pc.globalDefault === true);
      if (err) causes.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}`));
    } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
      causes.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
    }
    if (!POLICIES.includes(pc.preemptionPolicy)) causes.push(notSupported('preemptionPolicy', pc.preemptionPolicy, POLICIES));
    return causes;
  },
  validateUpdate(pc, old) {
    const causes: StatusCause[] = [];
    if (pc.value !== old.value) causes.push(forbidden('value', 'may not be changed in an update.'));
    if (pc.preemptionPolicy !== old.preemptionPolicy) causes.push(immutable('preemptionPolicy', pc.preemptionPolicy));
    return causes;
  },
};

// IntOrString fields that are a count or a percentage (a Deployment's maxUnavailable, a
// PodDisruptionBudget's minAvailable), validated as Kubernetes' apps validation does.
import type { StatusCause } from '../../../api/types.js';
import { GoSyntax, invalid, validateNonnegative } from './field-errors.js';

/** An IntOrString as Kubernetes prints one in a message (its String(), unquoted). */
export function intOrString(value: number | string): GoSyntax {
  return new GoSyntax(String(value));
}

export function percentOf(value: number | string | undefined): number | undefined {
  return typeof value === 'string' && /^[0-9]+%$/.test(value) ? Number(value.slice(0, -1)) : undefined;
}

/** getIntOrPercentValue == 0 (an unset value counts as zero). */
export function isZero(value: number | string | undefined): boolean {
  return value === undefined || value === 0 || percentOf(value) === 0;
}

/** ValidatePositiveIntOrPercent. */
export function validateIntOrPercent(field: string, value: number | string | undefined): StatusCause[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return validateNonnegative(field, value);
  if (percentOf(value) === undefined) {
    const detail = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
    return [invalid(field, intOrString(value), detail)];
  }
  return [];
}

/** IsNotMoreThan100Percent. */
export function validateAtMost100Percent(field: string, value: number | string | undefined): StatusCause[] {
  return (percentOf(value) ?? 0) > 100 ? [invalid(field, intOrString(value!), 'must not be greater than 100%')] : [];
}

// ResourceQuotas: ValidateResourceQuota. hard and used are resource quantities, never negative,
// whole for counted objects; scopes are Kubernetes' and only for the pod resources they can select.
// Status is the quota controller's and the quota admission's to write.
import { Quantity } from '../../../api/quantity.js';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { GoSyntax, invalid, notSupported, required } from './field-errors.js';
import { isIntegerQuotaResource, isStandardQuotaResource, validateQuotaResourceName } from './resource-names.js';

const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_COUNT = ['pods'];
const POD_COMPUTE = ['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'];
const CONFLICTING: [string, string][] = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** IsResourceQuotaScopeValidForResource. */
function scopeFits(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return POD_COUNT.includes(resource);
  if (SCOPES.includes(scope)) return POD_COUNT.includes(resource) || POD_COMPUTE.includes(resource);
  return true;
}

function validateAmounts(list: Record<string, unknown> | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const at = `${field}[${name}]`;
    causes.push(...validateQuotaResourceName(name, at));
    const q = Quantity.parse(value as string);
    if (!q) continue;
    if (q.cmp(Quantity.ZERO) < 0) causes.push(invalid(at, q.toString(), 'must be greater than or equal to 0'));
    if (isIntegerQuotaResource(name) && q.nanos % 1_000_000_000n !== 0n) causes.push(invalid(at, q.toString(), 'must be an integer'));
  }
  return causes;
}

function scopesText(scopes: string[]): GoSyntax {
  return new GoSyntax(`[]core.ResourceQuotaScope{${scopes.map((s) => JSON.stringify(s)).join(', ')}}`);
}

function validateScopes(spec: any): StatusCause[] {
  const scopes: string[] = spec.scopes ?? [];
  if (scopes.length === 0) return [];
  const causes: StatusCause[] = [];
  const hard = Object.keys(spec.hard ?? {}).sort();
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) causes.push(invalid('spec.scopes', scopesText(scopes), 'unsupported scope'));
    for (const resource of hard) {
      if (isStandardQuotaResource(resource) && !scopeFits(scope, resource)) causes.push(invalid('spec.scopes', scopesText(scopes), 'unsupported scope applied to resource'));
    }
  }
  for (const [a, b] of CONFLICTING) if (scopes.includes(a) && scopes.includes(b)) causes.push(invalid('spec.scopes', scopesText(scopes), 'conflicting scopes'));
  return causes;
}

function validateScopeSelector(spec: any): StatusCause[] {
  const causes: StatusCause[] = [];
  (spec.scopeSelector?.matchExpressions ?? []).forEach((e: any, i: number) => {
    const at = `spec.scopeSelector.matchExpressions[${i}]`;
    if (!SCOPES.includes(e.scopeName)) causes.push(notSupported(`${at}.scopeName`, e.scopeName, SCOPES));
    if (!SELECTOR_OPERATORS.includes(e.operator)) causes.push(notSupported(`${at}.operator`, e.operator, SELECTOR_OPERATORS));
    const values: string[] = e.values ?? [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
      causes.push(required(`${at}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    }
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
      causes.push(invalid(`${at}.values`, new GoSyntax(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`), 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
    }
  });
  return causes;
}

function validate(quota: KubeObject): StatusCause[] {
  const spec = quota.spec ?? {};
  return [
    ...validateAmounts(spec.hard, 'spec.hard'),
    ...validateScopes(spec),
    ...validateScopeSelector(spec),
    ...validateAmounts(quota.status?.hard, 'status.hard'),
    ...validateAmounts(quota.status?.used, 'status.used'),
  ];
}

export const resourceQuotaStrategy: Strategy = {
  applyDefaults() {},
  validate,
};

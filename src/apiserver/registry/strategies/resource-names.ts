// Resource names in quotas and limit ranges (`cpu`, `requests.memory`, `count/pods`,
// `example.com/gpu`), checked as Kubernetes' core validation does.
import type { StatusCause } from '../../../api/types.js';
import { isQualifiedName } from '../../../api/validation/names.js';
import { invalid, invalidEach } from './field-errors.js';

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];
const STANDARD_QUOTA = new Set([
  ...COMPUTE,
  ...COMPUTE.flatMap((r) => [`requests.${r}`, `limits.${r}`]),
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD = new Set([...STANDARD_QUOTA, 'storage']);
/** Counted in whole units: a quota of 1.5 pods means nothing. */
const INTEGER_QUOTA = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

const isHugePages = (name: string) => name.startsWith('hugepages-') || name.startsWith('requests.hugepages-') || name.startsWith('limits.hugepages-');

/** validateResourceName: a qualified name, standard unless it has a domain. */
export function validateResourceName(name: string, field: string): StatusCause[] {
  const causes = invalidEach(field, name, isQualifiedName(name));
  if (causes.length) return causes;
  if (!name.includes('/') && !STANDARD.has(name) && !isHugePages(name)) return [invalid(field, name, 'must be a standard resource type or fully qualified')];
  return [];
}

/** validateResourceQuotaResourceName. */
export function validateQuotaResourceName(name: string, field: string): StatusCause[] {
  const causes = validateResourceName(name, field);
  if (causes.length === 0 && !name.includes('/') && !STANDARD_QUOTA.has(name) && !isHugePages(name)) {
    return [invalid(field, name, 'must be a standard resource for quota')];
  }
  return causes;
}

/** validateContainerResourceName: compute resources, hugepages, or a domain's extended resource. */
export function validateContainerResourceName(name: string, field: string): StatusCause[] {
  const causes = invalidEach(field, name, isQualifiedName(name));
  if (causes.length) return causes;
  if (!name.includes('/') && !COMPUTE.includes(name) && !name.startsWith('hugepages-')) return [invalid(field, name, 'must be a standard resource for containers')];
  return [];
}

/** IsStandardQuotaResourceName. */
export function isStandardQuotaResource(name: string): boolean {
  return STANDARD_QUOTA.has(name) || isHugePages(name);
}

export function isIntegerQuotaResource(name: string): boolean {
  return INTEGER_QUOTA.has(name) || name.startsWith('count/');
}

// RBAC's four kinds (pkg/apis/rbac/validation): rules that say what they apply to, bindings whose
// roleRef names a role of a kind they may reference and never changes, subjects of a known kind.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isDNS1123Subdomain, isPathSegmentName } from '../../../api/validation/names.js';
import { RBAC_GROUP } from '../../../api/rbac.js';
import type { Strategy } from './strategy.js';
import { GoSyntax, invalid, invalidEach, notSupported, required } from './field-errors.js';
import { validateLabelSelector } from './selector-validation.js';

function validateRule(rule: any, at: string, namespaced: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!rule.verbs?.length) causes.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    const urls = new GoSyntax(`[]string{${rule.nonResourceURLs.map((u: string) => JSON.stringify(u)).join(', ')}}`);
    if (namespaced) causes.push(invalid(`${at}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      causes.push(invalid(`${at}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (!rule.apiGroups?.length) causes.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) causes.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
  return causes;
}

function validateRules(role: KubeObject, namespaced: boolean): StatusCause[] {
  return ((role.rules as unknown[]) ?? []).flatMap((rule, i) => validateRule(rule, `rules[${i}]`, namespaced));
}

function validateAggregationRule(role: KubeObject): StatusCause[] {
  const rule = role.aggregationRule;
  if (!rule) return [];
  const selectors: unknown[] = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) {
    return [required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  return selectors.flatMap((s, i) => validateLabelSelector(s as any, `aggregationRule.clusterRoleSelectors[${i}]`));
}

function validateSubject(subject: any, at: string, namespaced: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!subject.name) causes.push(required(`${at}.name`));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name) causes.push(...invalidEach(`${at}.name`, subject.name, isDNS1123Subdomain(subject.name)));
      if (subject.apiGroup) causes.push(notSupported(`${at}.apiGroup`, subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) causes.push(required(`${at}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) causes.push(notSupported(`${at}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(`${at}.kind`, subject.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

function validateBinding(binding: KubeObject, roleKinds: string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const ref = binding.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!roleKinds.includes(ref.kind)) causes.push(notSupported('roleRef.kind', ref.kind ?? '', roleKinds));
  if (!ref.name) causes.push(required('roleRef.name'));
  else causes.push(...invalidEach('roleRef.name', ref.name, isPathSegmentName(ref.name)));
  const namespaced = roleKinds.includes('Role');
  ((binding.subjects as unknown[]) ?? []).forEach((s, i) => causes.push(...validateSubject(s, `subjects[${i}]`, namespaced)));
  return causes;
}

/** Go's `%#v` of a RoleRef, as Kubernetes' "cannot change roleRef" message shows it. */
function goRoleRef(ref: any): GoSyntax {
  return new GoSyntax(`rbac.RoleRef{APIGroup:${JSON.stringify(ref?.apiGroup ?? '')}, Kind:${JSON.stringify(ref?.kind ?? '')}, Name:${JSON.stringify(ref?.name ?? '')}}`);
}

function validateRoleRefUnchanged(binding: KubeObject, old: KubeObject): StatusCause[] {
  const a = binding.roleRef ?? {};
  const b = old.roleRef ?? {};
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  return [invalid('roleRef', goRoleRef(a), 'cannot change roleRef')];
}

/** Users' and groups' apiGroup as Kubernetes defaults it (SetDefaults_Subject), and the roleRef's group. */
function defaultBinding(binding: KubeObject): void {
  if (binding.roleRef && typeof binding.roleRef === 'object' && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  for (const subject of (binding.subjects as any[]) ?? []) {
    if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = RBAC_GROUP;
  }
}

export const roleStrategy: Strategy = {
  applyDefaults() {},
  validate: (role) => validateRules(role, true),
};

export const clusterRoleStrategy: Strategy = {
  applyDefaults() {},
  validate: (role) => [...validateRules(role, false), ...validateAggregationRule(role)],
};

export const roleBindingStrategy: Strategy = {
  applyDefaults: defaultBinding,
  validate: (binding) => validateBinding(binding, ['Role', 'ClusterRole']),
  validateUpdate: validateRoleRefUnchanged,
};

export const clusterRoleBindingStrategy: Strategy = {
  applyDefaults: defaultBinding,
  validate: (binding) => validateBinding(binding, ['ClusterRole']),
  validateUpdate: validateRoleRefUnchanged,
};

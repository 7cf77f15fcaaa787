// The RBAC objects `kubectl create role|clusterrole|rolebinding|clusterrolebinding` build: one rule
// per API group of the --resource list (groups sorted, resources in the order given), the
// non-resource URLs in a rule of their own, or an aggregation rule; bindings list users, then
// groups, then service accounts.
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { sortedMap, typedObject } from './typed-object.js';

const RBAC = 'rbac.authorization.k8s.io';
const RBAC_V1 = `${RBAC}/v1`;

const VALID_RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];

/** Verbs that only make sense on certain resources (kubectl refuses the others). */
const SPECIAL_VERBS: Record<string, [group: string, resource: string][]> = {
  use: [['policy', 'podsecuritypolicies'], ['extensions', 'podsecuritypolicies']],
  bind: [[RBAC, 'roles'], [RBAC, 'clusterroles']],
  escalate: [[RBAC, 'roles'], [RBAC, 'clusterroles']],
  impersonate: [['', 'users'], ['', 'serviceaccounts'], ['', 'groups'], ['authentication.k8s.io', 'userextras']],
};

export interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

/** What the server's discovery says a resource is called: its plural and group, or undefined. */
export type ResourceMapper = (resource: string, group: string) => { resource: string; group: string } | undefined;

export interface RuleFlags {
  verbs: string[];
  resources: string[];
  resourceNames: string[];
}

/** `--verb` without duplicates; `*` stands for all of them. */
export function normalizeVerbs(verbs: string[]): string[] {
  if (verbs.includes('*')) return ['*'];
  return [...new Set(verbs)];
}

/** `resource.group/subresource` items; a bare `*` means every resource and ends the list. */
export function parseResources(items: string[]): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const item of items) {
    const slash = item.indexOf('/');
    const main = slash < 0 ? item : item.slice(0, slash);
    const subresource = slash < 0 ? '' : item.slice(slash + 1);
    const dot = main.indexOf('.');
    const r = { resource: dot < 0 ? main : main.slice(0, dot), group: dot < 0 ? '' : main.slice(dot + 1), subresource };
    if (r.resource === '*' && dot < 0 && slash < 0) return [r];
    out.push(r);
  }
  return out;
}

function noResourceType(r: ResourceOption): CliError {
  return new CliError(`the server doesn't have a resource type "${r.group ? `${r.resource}.${r.group}` : r.resource}"`, 1, true);
}

/** kubectl's validateResource: each resource must exist, and special verbs only on their resources. */
export function validateResources(verbs: string[], resources: ResourceOption[], mapper: ResourceMapper): void {
  for (const r of resources) {
    if (!r.resource) throw new CliError('resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = mapper(r.resource, r.group);
    const target = mapped ?? { resource: r.resource, group: r.group };
    let missing = !mapped;
    for (const v of verbs) {
      const allowed = SPECIAL_VERBS[v];
      if (!allowed) continue;
      if (!allowed.some(([g, res]) => g === target.group && res === target.resource)) {
        throw new CliError(`can not perform '${v}' on '${target.resource}' in group '${target.group}'`);
      }
      missing = false;
    }
    if (missing) throw noResourceType(r);
  }
}

/** Warnings kubectl prints for verbs it does not know (the rule is still made). */
export function verbWarnings(verbs: string[]): string[] {
  return verbs.filter((v) => !VALID_RESOURCE_VERBS.includes(v)).map((v) => `Warning: '${v}' is not a standard resource verb`);
}

export function policyRules(verbs: string[], resources: ResourceOption[], resourceNames: string[], nonResourceURLs: string[], mapper: ResourceMapper): unknown[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const mapped = mapper(r.resource, r.group) ?? { resource: r.resource, group: r.group };
    const name = r.subresource ? `${mapped.resource}/${r.subresource}` : mapped.resource;
    const list = byGroup.get(mapped.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(mapped.group, list);
  }
  const rules: unknown[] = [...byGroup.keys()].sort().map((group) => ({
    verbs,
    apiGroups: [group],
    resources: byGroup.get(group),
    ...(resourceNames.length ? { resourceNames } : {}),
  }));
  if (nonResourceURLs.length) rules.push({ verbs, nonResourceURLs });
  return rules;
}

function ruleInputs(f: RuleFlags): { verbs: string[]; resources: ResourceOption[]; resourceNames: string[] } {
  return { verbs: normalizeVerbs(f.verbs), resources: parseResources(f.resources), resourceNames: [...new Set(f.resourceNames)] };
}

export interface Generated {
  obj: KubeObject;
  warnings: string[];
}

export function roleFor(name: string, namespace: string | undefined, f: RuleFlags, mapper: ResourceMapper): Generated {
  const { verbs, resources, resourceNames } = ruleInputs(f);
  if (verbs.length === 0) throw new CliError('at least one verb must be specified');
  const warnings = verbWarnings(verbs);
  if (resources.length === 0) throw new CliError('at least one resource must be specified');
  validateResources(verbs, resources, mapper);
  const role = typedObject(RBAC_V1, 'Role', name, namespace);
  role.rules = policyRules(verbs, resources, resourceNames, [], mapper);
  return { obj: role, warnings };
}

export interface ClusterRoleFlags extends RuleFlags {
  nonResourceURLs: string[];
  aggregationRule: Record<string, string>;
}

export function clusterRoleFor(name: string, f: ClusterRoleFlags, mapper: ResourceMapper): Generated {
  const { verbs, resources, resourceNames } = ruleInputs(f);
  const nonResourceURLs = [...new Set(f.nonResourceURLs)];
  const role = typedObject(RBAC_V1, 'ClusterRole', name);
  const warnings: string[] = [];
  if (Object.keys(f.aggregationRule).length) {
    if (nonResourceURLs.length || verbs.length || resources.length || resourceNames.length) {
      throw new CliError('aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
    }
    role.rules = null;
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: sortedMap(Object.entries(f.aggregationRule)) }] };
    return { obj: role, warnings };
  }
  if (verbs.length === 0) throw new CliError('at least one verb must be specified');
  if (resources.length === 0 && nonResourceURLs.length === 0) throw new CliError('one of resource or nonResourceURL must be specified');
  if (resources.length) {
    warnings.push(...verbWarnings(verbs));
    validateResources(verbs, resources, mapper);
  }
  if (nonResourceURLs.length) {
    if (resourceNames.length) throw new CliError('resource-name is not supported when specifying non-resource-url');
    for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new CliError(`invalid verb: '${v}' for nonResourceURL`);
    for (const url of nonResourceURLs) {
      if (url === '*') continue;
      if (!url.startsWith('/')) throw new CliError('nonResourceURL should start with /');
      if (url.slice(0, -1).includes('*')) throw new CliError("nonResourceURL only supports wildcard matches when '*' is at the end");
    }
  }
  role.rules = policyRules(verbs, resources, resourceNames, nonResourceURLs, mapper);
  return { obj: role, warnings };
}

export interface BindingFlags {
  role?: string;
  clusterRole?: string;
  users: string[];
  groups: string[];
  serviceAccounts: string[];
}

function subjectsOf(f: BindingFlags): unknown[] {
  const subjects: unknown[] = [];
  for (const name of f.users) subjects.push({ kind: 'User', apiGroup: RBAC, name });
  for (const name of f.groups) subjects.push({ kind: 'Group', apiGroup: RBAC, name });
  for (const sa of f.serviceAccounts) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[1]) throw new CliError('serviceaccount must be <namespace>:<name>');
    subjects.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return subjects;
}

export function roleBindingFor(name: string, namespace: string | undefined, f: BindingFlags): KubeObject {
  if (!f.role === !f.clusterRole) throw new CliError('exactly one of clusterrole or role must be specified');
  const binding = typedObject(RBAC_V1, 'RoleBinding', name, namespace);
  const subjects = subjectsOf(f);
  if (subjects.length) binding.subjects = subjects;
  binding.roleRef = { apiGroup: RBAC, kind: f.role ? 'Role' : 'ClusterRole', name: f.role ?? f.clusterRole };
  return binding;
}

export function clusterRoleBindingFor(name: string, f: BindingFlags): KubeObject {
  if (!f.clusterRole) throw new CliError('required flag(s) "clusterrole" not set');
  const binding = typedObject(RBAC_V1, 'ClusterRoleBinding', name);
  const subjects = subjectsOf(f);
  if (subjects.length) binding.subjects = subjects;
  binding.roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: f.clusterRole };
  return binding;
}

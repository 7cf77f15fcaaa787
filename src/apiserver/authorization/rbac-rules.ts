// RBAC's pure matching (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac and
// pkg/registry/rbac/validation): whether a rule allows a request, whether a binding's subject is
// a user, and whether one set of rules covers another (escalation prevention).
import type { PolicyRule, Subject } from '../../api/rbac.js';
import type { RequestAttributes } from './attributes.js';
import type { UserInfo } from './user.js';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

function has(list: readonly string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

// `*`, the resource itself, or `*/sub` for subresource `sub` of any resource.
function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return urlMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup) || !resourceMatches(rule, a.resource, a.subresource)) return false;
  return !rule.resourceNames?.length || (a.name !== undefined && rule.resourceNames.includes(a.name));
}

/** Whether a binding's subject is this user; a service account subject without a namespace is in the binding's. */
export function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return !!namespace && user.name === `${SERVICE_ACCOUNT_PREFIX}${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** One rule per verb, group, resource and name (or URL): what Covers compares one at a time. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const verb of rule.verbs) {
    if (rule.nonResourceURLs?.length) {
      for (const url of rule.nonResourceURLs) out.push({ verbs: [verb], nonResourceURLs: [url] });
      continue;
    }
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        } else out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
      }
    }
  }
  return out;
}

function covers1(owner: PolicyRule, servant: PolicyRule): boolean {
  const verb = servant.verbs[0];
  if (!has(owner.verbs, verb)) return false;
  if (servant.nonResourceURLs?.length) {
    const url = servant.nonResourceURLs[0];
    // A servant URL ending in `*` is covered only by an owner prefix at least as wide.
    return (owner.nonResourceURLs ?? []).some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
  }
  const group = servant.apiGroups?.[0] ?? '';
  const resource = servant.resources?.[0] ?? '';
  if (!has(owner.apiGroups, group)) return false;
  const slash = resource.indexOf('/');
  const resourceCovered = (owner.resources ?? []).some(
    (r) => r === '*' || r === resource || (slash > 0 && r === `*${resource.slice(slash)}`),
  );
  if (!resourceCovered) return false;
  if (!owner.resourceNames?.length) return true;
  const name = servant.resourceNames?.[0];
  return name !== undefined && owner.resourceNames.includes(name);
}

/** The servant's rules none of the owner's rules cover, one verb/group/resource/name each; empty means covered. */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  return servant.flatMap(breakdown).filter((s) => !owner.some((o) => covers1(o, s)));
}

function quotedList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/** Kubernetes' CompactString of a rule: `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`. */
export function compactRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${quotedList(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${quotedList(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quotedList(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${quotedList(rule.resourceNames)}`);
  if (rule.verbs?.length) parts.push(`Verbs:${quotedList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

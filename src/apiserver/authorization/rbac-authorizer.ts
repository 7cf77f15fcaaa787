// The RBAC authorizer over informer-fed caches of the four RBAC kinds. What a user holds in a
// namespace (the rules of every ClusterRoleBinding and, in that namespace, every RoleBinding
// naming the user, one of its groups or its service account) is resolved once and kept until an
// RBAC object changes, so a request costs one walk over that user's rules.
import type { KubeObject } from '../../api/types.js';
import type { InformerHandlers } from '../../api/informer.js';
import type { PolicyRule, Subject } from '../../api/rbac.js';
import type { RequestAttributes } from './attributes.js';
import type { UserInfo } from './user.js';
import { ruleAllows, subjectMatches } from './rbac-rules.js';

/** What the authorizer reads: an informer's cache (get by `ns/name` or `name`, list by namespace). */
export interface ObjectCache {
  get(key: string): KubeObject | undefined;
  list(namespace?: string): KubeObject[];
  addHandlers(h: InformerHandlers): void;
}

export interface RbacCaches {
  roles: ObjectCache;
  clusterRoles: ObjectCache;
  roleBindings: ObjectCache;
  clusterRoleBindings: ObjectCache;
}

/** A rule a user holds, with the binding that grants it in Kubernetes' words (for review reasons). */
export interface GrantedRule {
  rule: PolicyRule;
  via: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

// Enough for every identity of a busy cluster; past it the cache starts over rather than grow.
const MAX_CACHED_USERS = 4096;

function describeSubject(s: Subject, bindingNamespace: string | undefined): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

export class RbacAuthorizer {
  private readonly resolved = new Map<string, GrantedRule[]>();

  constructor(private readonly caches: RbacCaches) {
    const invalidate: InformerHandlers = { add: () => this.resolved.clear(), update: () => this.resolved.clear(), delete: () => this.resolved.clear() };
    for (const cache of [caches.roles, caches.clusterRoles, caches.roleBindings, caches.clusterRoleBindings]) cache.addHandlers(invalidate);
  }

  private role(roleRef: { kind?: string; name?: string } | undefined, namespace: string | undefined): KubeObject | undefined {
    if (!roleRef?.name) return undefined;
    if (roleRef.kind === 'ClusterRole') return this.caches.clusterRoles.get(roleRef.name);
    return roleRef.kind === 'Role' && namespace ? this.caches.roles.get(`${namespace}/${roleRef.name}`) : undefined;
  }

  roleExists(roleRef: { kind?: string; name?: string } | undefined, namespace: string | undefined): boolean {
    return this.role(roleRef, namespace) !== undefined;
  }

  /** The rules of the role a binding refers to; none when it does not exist (yet). */
  roleRules(roleRef: { kind?: string; name?: string } | undefined, namespace: string | undefined): PolicyRule[] {
    return (this.role(roleRef, namespace)?.rules as PolicyRule[] | undefined) ?? [];
  }

  /** Every rule the user holds in a namespace (cluster-wide ones included); undefined: cluster scope only. */
  rulesFor(user: UserInfo, namespace: string | undefined): GrantedRule[] {
    const key = `${user.name}\0${user.groups.join('\0')}\0\0${namespace ?? ''}`;
    let rules = this.resolved.get(key);
    if (rules) return rules;
    rules = [];
    for (const b of this.caches.clusterRoleBindings.list()) this.collect(rules, b, user, undefined, 'ClusterRoleBinding', b.metadata.name!);
    if (namespace) {
      for (const b of this.caches.roleBindings.list(namespace)) this.collect(rules, b, user, namespace, 'RoleBinding', `${b.metadata.name}/${namespace}`);
    }
    if (this.resolved.size >= MAX_CACHED_USERS) this.resolved.clear();
    this.resolved.set(key, rules);
    return rules;
  }

  private collect(into: GrantedRule[], binding: KubeObject, user: UserInfo, namespace: string | undefined, kind: string, name: string): void {
    const subject = ((binding.subjects as Subject[] | undefined) ?? []).find((s) => subjectMatches(s, user, namespace));
    if (!subject) return;
    const via = `${kind} ${JSON.stringify(name)} of ${binding.roleRef?.kind} ${JSON.stringify(binding.roleRef?.name)} to ${describeSubject(subject, namespace)}`;
    for (const rule of this.roleRules(binding.roleRef, namespace)) into.push({ rule, via });
  }

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    const namespace = a.resourceRequest ? a.namespace : undefined;
    const granted = this.rulesFor(user, namespace).find((g) => ruleAllows(g.rule, a));
    return granted ? { allowed: true, reason: `RBAC: allowed by ${granted.via}` } : { allowed: false, reason: '' };
  }
}

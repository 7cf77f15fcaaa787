// RBAC's escalation prevention (pkg/registry/rbac/*/policybased): a user may write a role only
// with rules it holds itself, unless it may `escalate` that role; a binding only to a role whose
// rules it holds, unless it may `bind` that role. An aggregationRule, which can gather anything,
// needs every right. system:masters may do all of it.
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { RBAC_GROUP, type PolicyRule } from '../../api/rbac.js';
import type { RequestAuthorizer } from './authorizer.js';
import { compactRule, uncoveredRules } from './rbac-rules.js';
import { MASTERS_GROUP, type UserInfo } from './user.js';

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Rules that differ only in their verbs, as one rule (Kubernetes' CompactRules). */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const r of rules) {
    const key = JSON.stringify([r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
    const into = merged.get(key);
    if (into) into.verbs = [...new Set([...into.verbs, ...r.verbs])];
    else merged.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...merged.values()];
}

function notHeld(user: UserInfo, missing: PolicyRule[]): string {
  const described = [...new Set(compact(missing).map(compactRule))].sort();
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  return `user ${JSON.stringify(user.name)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${described.join('\n')}`;
}

function forbiddenWrite(r: { plural: string }, name: string, message: string): ApiError {
  return new ApiError('Forbidden', `${r.plural}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${message}`, { name, group: RBAC_GROUP, kind: r.plural });
}

export class EscalationCheck {
  constructor(private readonly authorizer: RequestAuthorizer) {}

  private heldRules(user: UserInfo, namespace: string | undefined): PolicyRule[] {
    return this.authorizer.rbac.rulesFor(user, namespace).map((g) => g.rule);
  }

  private may(user: UserInfo, verb: string, resource: string, name: string, namespace: string | undefined): boolean {
    return this.authorizer.authorize(user, { resourceRequest: true, verb, apiGroup: RBAC_GROUP, resource, name, namespace }).allowed;
  }

  /** Throws Forbidden when the user may not write this role, binding or cluster role binding as it now reads. */
  check(user: UserInfo, kind: string, obj: KubeObject, old: KubeObject | undefined): void {
    if (user.groups.includes(MASTERS_GROUP)) return;
    const name = obj.metadata.name ?? '';
    const namespace = obj.metadata.namespace;
    if (kind === 'Role' || kind === 'ClusterRole') {
      const resource = kind === 'Role' ? { plural: 'roles' } : { plural: 'clusterroles' };
      if (this.may(user, 'escalate', resource.plural, name, namespace)) return;
      const held = this.heldRules(user, namespace);
      const missing = uncoveredRules(held, (obj.rules as PolicyRule[] | undefined) ?? []);
      if (missing.length) throw forbiddenWrite(resource, name, notHeld(user, missing));
      if ((obj.aggregationRule || old?.aggregationRule) && uncoveredRules(held, FULL_AUTHORITY).length) {
        throw forbiddenWrite(resource, name, 'must have cluster-admin privileges to use the aggregationRule');
      }
      return;
    }
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const resource = kind === 'RoleBinding' ? { plural: 'rolebindings' } : { plural: 'clusterrolebindings' };
      const ref = obj.roleRef ?? {};
      const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
      if (this.may(user, 'bind', roleResource, ref.name, namespace)) return;
      if (!this.authorizer.rbac.roleExists(ref, namespace)) {
        throw forbiddenWrite(resource, name, `${roleResource}.${RBAC_GROUP} ${JSON.stringify(ref.name)} not found`);
      }
      const missing = uncoveredRules(this.heldRules(user, namespace), this.authorizer.rbac.roleRules(ref, namespace));
      if (missing.length) throw forbiddenWrite(resource, name, notHeld(user, missing));
    }
  }
}

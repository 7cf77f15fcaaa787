// Every request's authorization, as kube-apiserver --authorization-mode=Node,RBAC: system:masters
// may do anything; then the node authorizer, then RBAC. The first to allow decides; when none
// does, the request is Forbidden with Kubernetes' message and the authorizers' reasons.
import { ApiError } from '../../api/errors.js';
import type { RequestAttributes } from './attributes.js';
import type { NodeAuthorizer } from './node-authorizer.js';
import type { Decision, RbacAuthorizer } from './rbac-authorizer.js';
import { MASTERS_GROUP, type UserInfo } from './user.js';

export class RequestAuthorizer {
  constructor(
    readonly rbac: RbacAuthorizer,
    private readonly node: NodeAuthorizer,
  ) {}

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, reason: '' };
    const byNode = this.node.authorize(user, a);
    if (byNode?.allowed) return byNode;
    const byRbac = this.rbac.authorize(user, a);
    if (byRbac.allowed) return byRbac;
    return { allowed: false, reason: [byNode?.reason, byRbac.reason].filter(Boolean).join('\n') };
  }

  /** Throws Kubernetes' Forbidden unless the user may make the request. */
  check(user: UserInfo, a: RequestAttributes): void {
    const decision = this.authorize(user, a);
    if (!decision.allowed) throw forbidden(user, a, decision.reason);
  }
}

/** `deployments.apps "x" is forbidden: User "u" cannot delete resource "deployments" in API group "apps" in the namespace "default"`, then `: reason` when an authorizer gave one. */
export function forbidden(user: UserInfo, a: RequestAttributes, reason = ''): ApiError {
  const because = reason ? `: ${reason}` : '';
  if (!a.resourceRequest) return new ApiError('Forbidden', `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"${because}`);
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}${because}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const target = a.name ? `${qualified} "${a.name}"` : qualified;
  return new ApiError('Forbidden', `${target} is forbidden: ${why}`, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  });
}

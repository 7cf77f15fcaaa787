// The checks a write gets once the object it will store is known, for the user making it: RBAC
// escalation prevention on roles and bindings, and NodeRestriction for nodes.
import type { WriteAdmission } from '../registry/registry.js';
import type { EscalationCheck } from './escalation.js';
import { admitNodeWrite } from './node-restriction.js';
import { MASTERS_GROUP, nodeName, type UserInfo } from './user.js';

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The check for one request's write (verb create, update, patch or delete); undefined when there is nothing to check. */
export function writeAdmission(user: UserInfo, escalation: EscalationCheck, kind: string, verb: string, subresource?: string): WriteAdmission | undefined {
  if (user.groups.includes(MASTERS_GROUP)) return undefined;
  const rbac = RBAC_KINDS.has(kind) && !subresource && verb !== 'delete';
  const node = nodeName(user) !== undefined;
  if (!rbac && !node) return undefined;
  return (obj, old) => {
    if (rbac) escalation.check(user, kind, obj, old);
    if (node) admitNodeWrite(user, { kind, verb, subresource, obj, old });
  };
}

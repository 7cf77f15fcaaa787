// Role, ClusterRole, RoleBinding and ClusterRoleBinding columns (rbac.authorization.k8s.io).
import type { KubeObject } from '../../types.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, createdAtColumns, type ColumnPrinter } from './common.js';

/** Roles print their creation time itself, in RFC 3339, not an age. */
export const roleColumns: ColumnPrinter = createdAtColumns;

const ROLE_REF_DESCRIPTION =
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.';

/** Kubernetes' SubjectsStrings: users, groups and `namespace:name` service accounts, each comma-separated. */
function subjectCells(binding: KubeObject): string[] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of (binding.subjects as any[]) ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(s.namespace ? `${s.namespace}:${s.name}` : s.name);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

export const roleBindingColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Role', 'string', ROLE_REF_DESCRIPTION),
    AGE_COLUMN,
    column('Users', 'string', 'Users in the roleBinding', 1),
    column('Groups', 'string', 'Groups in the roleBinding', 1),
    column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1),
  ],
  cells: (binding, now) => [binding.metadata.name, `${binding.roleRef?.kind}/${binding.roleRef?.name}`, age(binding, now), ...subjectCells(binding)],
};

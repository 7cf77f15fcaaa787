// Who a request is from, as authenticators say and authorizers read it (Kubernetes' user.Info).
import { NODES_GROUP, NODE_USER_PREFIX } from '../../api/certificate-signing-requests.js';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** Kubernetes' superuser group: everything is allowed. The token file's users belong to it. */
export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

/** The node a user is, as Kubernetes' node identifier decides: `system:node:NAME` in group system:nodes. */
export function nodeName(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.name.slice(NODE_USER_PREFIX.length) || undefined;
}

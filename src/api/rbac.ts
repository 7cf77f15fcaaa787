// rbac.authorization.k8s.io/v1 shapes the API server, its default policy and the CLI share.

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * A default role or binding with this annotation other than "false" is brought up to date with
 * the server's defaults at every start (missing rules and subjects added); "false" leaves it alone.
 */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  apiGroup?: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

// The daemon's authorizer, reading the RBAC objects and pods through the shared informers the
// controllers use too (one watch and one cache per kind in the process).
import { findByKind } from '../../api/resources.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { RequestAuthorizer } from './authorizer.js';
import { NodeAuthorizer } from './node-authorizer.js';
import { NodeGraph } from './node-graph.js';
import { RbacAuthorizer } from './rbac-authorizer.js';

/** The authorizer, and when its caches hold the first list of every kind it reads (requests wait for that). */
export function authorizerFromInformers(informers: SharedInformers): { authorizer: RequestAuthorizer; synced: Promise<void> } {
  const inf = (kind: string) => informers.informer(findByKind(kind)!);
  const caches = { roles: inf('Role'), clusterRoles: inf('ClusterRole'), roleBindings: inf('RoleBinding'), clusterRoleBindings: inf('ClusterRoleBinding') };
  const pods = inf('Pod');
  const authorizer = new RequestAuthorizer(new RbacAuthorizer(caches), new NodeAuthorizer(new NodeGraph(pods)));
  const synced = Promise.all([...Object.values(caches), pods].map((i) => i.hasSynced())).then(() => undefined);
  return { authorizer, synced };
}

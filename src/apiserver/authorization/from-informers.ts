// The daemon's authorizer, reading the RBAC objects and pods through the shared informers the
// controllers use too (one watch and one cache per kind in the process).
import { findByKind } from '../../api/resources.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { RequestAuthorizer } from './authorizer.js';
import { NodeAuthorizer } from './node-authorizer.js';
import { NodeGraph } from './node-graph.js';
import { RbacAuthorizer } from './rbac-authorizer.js';

/**
 * The authorizer, and when the RBAC caches hold their first list (requests wait for that). The
 * node graph fills in behind from the pod informer, as Kubernetes' node authorizer does: a daemon
 * with many pods stored answers at once, and nodes' reads of their pods' objects once it is whole.
 */
export function authorizerFromInformers(informers: SharedInformers): { authorizer: RequestAuthorizer; synced: Promise<void> } {
  const inf = (kind: string) => informers.informer(findByKind(kind)!);
  const caches = { roles: inf('Role'), clusterRoles: inf('ClusterRole'), roleBindings: inf('RoleBinding'), clusterRoleBindings: inf('ClusterRoleBinding') };
  const pods = inf('Pod');
  const authorizer = new RequestAuthorizer(new RbacAuthorizer(caches), new NodeAuthorizer(new NodeGraph(pods, pods.hasSynced(), inf('PersistentVolumeClaim'))));
  const synced = Promise.all(Object.values(caches).map((i) => i.hasSynced())).then(() => undefined);
  return { authorizer, synced };
}

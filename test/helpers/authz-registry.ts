// A registry with the default RBAC policy, the daemon's authorizer over shared informers and the
// aggregation controller: what the authorization unit tests ask questions of.
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { SharedInformers } from '../../src/api/shared-informers.js';
import { reconcileBootstrapPolicy } from '../../src/apiserver/authorization/reconcile-bootstrap-policy.js';
import { authorizerFromInformers } from '../../src/apiserver/authorization/from-informers.js';
import { EscalationCheck } from '../../src/apiserver/authorization/escalation.js';
import { ClusterRoleAggregationController } from '../../src/apiserver/controllers/clusterrole-aggregation/clusterrole-aggregation-controller.js';
import { inProcessRegistry } from './in-process-registry.js';
import { until } from './until.js';

const CLUSTER_ROLES = findByKind('ClusterRole')!;


export async function authzRegistry() {
  const reg = inProcessRegistry();
  for (const name of ['kube-system', 'kube-public', 'kube-node-lease', 'ns1', 'ns2']) {
    reg.registry.create(findByKind('Namespace')!, undefined, { metadata: { name } });
  }
  reconcileBootstrapPolicy(reg.registry, () => {});
  const informers = new SharedInformers(reg.client);
  const { authorizer, synced } = authorizerFromInformers(informers);
  const clusterRoles = informers.informer(CLUSTER_ROLES);
  const aggregation = new ClusterRoleAggregationController(reg.client, clusterRoles, () => {});
  informers.start();
  // The node graph fills in behind the RBAC caches; the tests ask about nodes' rights at once.
  await Promise.all([synced, informers.informer(findByKind('Pod')!).hasSynced()]);
  await until('admin to aggregate view, edit and admin rules', () => (clusterRoles.get('admin')?.rules?.length ?? 0) > 20, 5000);
  return {
    ...reg,
    authorizer,
    escalation: new EscalationCheck(authorizer),
    clusterRoles,
    create: (obj: KubeObject) => reg.registry.create(findByKind(obj.kind!)!, obj.metadata.namespace, obj),
    done: () => {
      aggregation.queue.stop();
      informers.stop();
      reg.done();
    },
  };
}

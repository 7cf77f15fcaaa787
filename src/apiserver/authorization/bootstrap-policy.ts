// The default ClusterRoles, bindings and kube-public Role the API server makes at start, as
// Kubernetes' bootstrappolicy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) and kubeadm's
// bootstrap-token set-up do, with kctl's own roles for the parts of a node agent that are
// Kubernetes add-ons elsewhere (service proxy, cluster DNS, ingress).
import type { KubeObject } from '../../api/types.js';
import { AUTOUPDATE_ANNOTATION, RBAC_GROUP, type PolicyRule, type Subject } from '../../api/rbac.js';
import { BOOTSTRAPPERS_GROUP } from '../../api/bootstrap-token.js';
import { NODES_GROUP } from '../../api/certificate-signing-requests.js';
import { CLUSTER_INFO_CONFIG_MAP, CLUSTER_INFO_NAMESPACE } from '../../api/cluster-info.js';
import { AUTHENTICATED_GROUP, MASTERS_GROUP, UNAUTHENTICATED_GROUP } from './user.js';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];


const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view') => `${RBAC_GROUP}/aggregate-to-${role}`;
const BOOTSTRAPPING_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return { verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) };
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

function clusterRole(name: string, rules: PolicyRule[], more: { labels?: Record<string, string>; aggregateFrom?: string } = {}): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAPPING_LABEL, ...more.labels }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    ...(more.aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [more.aggregateFrom]: 'true' } }] } } : {}),
    rules,
  };
}

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });

function binding(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, roleKind: 'ClusterRole' | 'Role', roleName: string, subjects: Subject[], namespace?: string): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { ...BOOTSTRAPPING_LABEL }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: roleName },
    subjects,
  };
}

const clusterBinding = (name: string, roleName: string, subjects: Subject[]) => binding('ClusterRoleBinding', name, 'ClusterRole', roleName, subjects);

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const MONITORING_URLS = ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'];
/** The group Kubernetes binds system:monitoring to: a scraper's identity joins it to read /metrics. */
export const MONITORING_GROUP = 'system:monitoring';

const VIEW_RULES: PolicyRule[] = [
  rule(READ, [''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
  rule(READ, [''], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'statefulsets', 'deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'daemonsets', 'statefulsets/scale', 'statefulsets/status', 'deployments/status', 'replicasets/status', 'daemonsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
];

const EDIT_RULES: PolicyRule[] = [
  rule(READ, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  rule(['create'], [''], ['pods/eviction']),
  rule(WRITE, [''], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['jobs', 'cronjobs']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
  rule(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], ['coordination.k8s.io'], ['leases']),
];

const ADMIN_RULES: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(READ_WRITE, [RBAC_GROUP], ['roles', 'rolebindings']),
];

/**
 * What Kubernetes' node authorizer lets every node do (its NodeRules); Secrets, ConfigMaps, pods,
 * Nodes, Leases and service account tokens are narrowed to the node's own by the node authorizer.
 */
export const NODE_RULES: PolicyRule[] = [
  rule(['create', 'get', 'list', 'watch'], [''], ['nodes']),
  rule(['patch', 'update'], [''], ['nodes/status']),
  rule(['patch', 'update'], [''], ['nodes']),
  rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
  rule(READ, [''], ['pods']),
  rule(['create', 'delete'], [''], ['pods']),
  rule(['patch', 'update'], [''], ['pods/status']),
  rule(['create'], [''], ['pods/eviction']),
  rule(['get'], [''], ['secrets', 'configmaps', 'persistentvolumeclaims', 'persistentvolumes']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(READ, [''], ['services']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews']),
  rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
  rule(['create', 'delete', 'get', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
];

/**
 * The service proxy, network policies, cluster DNS, ingress proxy and pod network each machine's
 * agent runs (kube-proxy's, a policy agent's as calico-node's, CoreDNS's, an ingress controller's
 * and flannel's rights: the pod network routes to every node's podCIDR, so it reads every Node;
 * policies select peers among every pod).
 */
const MACHINE_NETWORK_RULES: PolicyRule[] = [
  rule(READ, [''], ['services', 'endpoints', 'namespaces', 'nodes']),
  rule(['list', 'watch'], [''], ['pods']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingressclasses', 'networkpolicies']),
  rule(['get', 'patch', 'update'], ['networking.k8s.io'], ['ingresses/status']),
];

export const CLUSTER_ROLES: KubeObject[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  clusterRole('system:discovery', [urls(['get'], DISCOVERY_URLS)]),
  clusterRole('system:public-info-viewer', [urls(['get'], PUBLIC_INFO_URLS)]),
  clusterRole('system:monitoring', [urls(['get'], MONITORING_URLS)]),
  // metrics-server's manifest adds this role: whoever may view, edit or administer may read the resource metrics.
  clusterRole('system:aggregated-metrics-reader', [rule(READ, ['metrics.k8s.io'], ['pods', 'nodes'])], {
    labels: { [AGGREGATE_TO('view')]: 'true', [AGGREGATE_TO('edit')]: 'true', [AGGREGATE_TO('admin')]: 'true' },
  }),
  clusterRole('system:basic-user', [
    rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
    rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
  ]),
  clusterRole('admin', [], { aggregateFrom: AGGREGATE_TO('admin') }),
  clusterRole('edit', [], { labels: { [AGGREGATE_TO('admin')]: 'true' }, aggregateFrom: AGGREGATE_TO('edit') }),
  clusterRole('view', [], { labels: { [AGGREGATE_TO('edit')]: 'true' }, aggregateFrom: AGGREGATE_TO('view') }),
  clusterRole('system:aggregate-to-admin', ADMIN_RULES, { labels: { [AGGREGATE_TO('admin')]: 'true' } }),
  clusterRole('system:aggregate-to-edit', EDIT_RULES, { labels: { [AGGREGATE_TO('edit')]: 'true' } }),
  clusterRole('system:aggregate-to-view', VIEW_RULES, { labels: { [AGGREGATE_TO('view')]: 'true' } }),
  clusterRole('system:node', NODE_RULES),
  clusterRole('system:node-proxier', [
    rule(['list', 'watch'], [''], ['services', 'endpoints']),
    rule(READ, [''], ['nodes']),
    rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
    rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
  ]),
  clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests'])]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'])]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'])]),
  clusterRole('system:kube-scheduler', [
    rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
    rule(READ, [''], ['nodes', 'pods', 'namespaces', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes']),
    rule(['create'], [''], ['pods/binding', 'bindings']),
    rule(['patch', 'update'], [''], ['pods/status']),
    rule(READ, ['apps'], ['replicasets', 'statefulsets']),
    rule(['create', 'get', 'update'], ['coordination.k8s.io'], ['leases']),
  ]),
  clusterRole('system:kube-controller-manager', [rule(['*'], ['*'], ['*'])]),
  clusterRole('kctl:machine-network', MACHINE_NETWORK_RULES),
];

export const CLUSTER_ROLE_BINDINGS: KubeObject[] = [
  clusterBinding('cluster-admin', 'cluster-admin', [group(MASTERS_GROUP)]),
  clusterBinding('system:discovery', 'system:discovery', [group(AUTHENTICATED_GROUP)]),
  clusterBinding('system:basic-user', 'system:basic-user', [group(AUTHENTICATED_GROUP)]),
  clusterBinding('system:public-info-viewer', 'system:public-info-viewer', [group(AUTHENTICATED_GROUP), group(UNAUTHENTICATED_GROUP)]),
  clusterBinding('system:monitoring', 'system:monitoring', [group(MONITORING_GROUP)]),
  clusterBinding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
  clusterBinding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
  clusterBinding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
  // kubeadm's bindings for TLS bootstrap: join tokens ask for a client certificate, nodes renew theirs.
  clusterBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [group(BOOTSTRAPPERS_GROUP)]),
  clusterBinding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [group(BOOTSTRAPPERS_GROUP)]),
  clusterBinding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group(NODES_GROUP)]),
  clusterBinding('kctl:machine-network', 'kctl:machine-network', [group(NODES_GROUP)]),
];

const CLUSTER_INFO = 'kubeadm:bootstrap-signer-clusterinfo';

/** kubeadm lets anyone about to join read kube-public/cluster-info, and nothing else there. */
export const NAMESPACED_POLICY: KubeObject[] = [
  {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'Role',
    metadata: { name: CLUSTER_INFO, namespace: CLUSTER_INFO_NAMESPACE, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } },
    rules: [rule(['get'], [''], ['configmaps'], [CLUSTER_INFO_CONFIG_MAP])],
  },
  binding('RoleBinding', CLUSTER_INFO, 'Role', CLUSTER_INFO, [user('system:anonymous'), group(BOOTSTRAPPERS_GROUP)], CLUSTER_INFO_NAMESPACE),
];

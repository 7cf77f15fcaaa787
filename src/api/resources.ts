// The catalogue of resource types kctl serves. Discovery, routing, validation and the CLI's
// name resolution (po, deploy, TYPE/NAME) all read this one table.

export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  subresources: string[];
  categories: string[];
  // Whether writes to the main resource may change .status (false: status only through /status).
  statusSubresource: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  shortNames: string[],
  namespaced: boolean,
  subresources: string[] = [],
  categories: string[] = [],
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    shortNames,
    namespaced,
    subresources,
    categories,
    statusSubresource: subresources.includes('status'),
  };
}

export const RESOURCES: ResourceType[] = [
  rt('', 'v1', 'Namespace', 'namespaces', ['ns'], false, ['status']),
  rt('', 'v1', 'Node', 'nodes', ['no'], false, ['status']),
  rt('', 'v1', 'Pod', 'pods', ['po'], true, ['status', 'binding', 'log', 'exec', 'attach', 'portforward', 'eviction'], ['all']),
  rt('', 'v1', 'Service', 'services', ['svc'], true, ['status'], ['all']),
  rt('', 'v1', 'Endpoints', 'endpoints', ['ep'], true),
  rt('', 'v1', 'ConfigMap', 'configmaps', ['cm'], true),
  rt('', 'v1', 'Secret', 'secrets', [], true),
  rt('', 'v1', 'ServiceAccount', 'serviceaccounts', ['sa'], true, ['token']),
  rt('', 'v1', 'Event', 'events', ['ev'], true),
  rt('', 'v1', 'ReplicationController', 'replicationcontrollers', ['rc'], true, ['status', 'scale'], ['all']),
  rt('apps', 'v1', 'Deployment', 'deployments', ['deploy'], true, ['status', 'scale'], ['all']),
  rt('apps', 'v1', 'ReplicaSet', 'replicasets', ['rs'], true, ['status', 'scale'], ['all']),
  rt('batch', 'v1', 'Job', 'jobs', [], true, ['status'], ['all']),
  rt('batch', 'v1', 'CronJob', 'cronjobs', ['cj'], true, ['status'], ['all']),
  rt('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', [], true),
  rt('networking.k8s.io', 'v1', 'Ingress', 'ingresses', ['ing'], true, ['status']),
  rt('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], true, ['status'], ['all']),
  rt('coordination.k8s.io', 'v1', 'Lease', 'leases', [], true),
  rt('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', ['csr'], false, ['status', 'approval']),
  rt('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', [], true),
  rt('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', [], false),
  rt('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', [], true),
  rt('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', [], false),
  rt('apps', 'v1', 'StatefulSet', 'statefulsets', ['sts'], true, ['status', 'scale'], ['all']),
  rt('apps', 'v1', 'DaemonSet', 'daemonsets', ['ds'], true, ['status'], ['all']),
  rt('apps', 'v1', 'ControllerRevision', 'controllerrevisions', [], true),
  rt('', 'v1', 'PersistentVolume', 'persistentvolumes', ['pv'], false, ['status']),
  rt('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc'], true, ['status']),
  rt('', 'v1', 'ResourceQuota', 'resourcequotas', ['quota'], true, ['status']),
  rt('', 'v1', 'LimitRange', 'limitranges', ['limits'], true),
  rt('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', ['sc'], false),
  rt('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', ['pdb'], true, ['status']),
  rt('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', ['pc'], false),
  rt('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', ['netpol'], true),
  rt('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], false, ['status'], ['api-extensions']),
];
// Endpoints' singular is the same word; Kubernetes says "endpoints".
RESOURCES.find((r) => r.kind === 'Endpoints')!.singular = 'endpoints';

export const VERBS = ALL_VERBS;

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The `resource.group` form kubectl prints: `deployment.apps`, `pod`. */
export function qualifiedSingular(r: ResourceType): string {
  return r.group ? `${r.singular}.${r.group}` : r.singular;
}

/** The `resource.group` plural form: `deployments.apps`, `pods`. */
export function qualifiedPlural(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

const byGroupVersionKind = new Map<string, ResourceType>();
const byGroupPlural = new Map<string, ResourceType>();
for (const r of RESOURCES) {
  byGroupVersionKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
  byGroupPlural.set(`${r.group}/${r.plural}`, r);
}

export function findByApiVersionKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byGroupVersionKind.get(`${apiVersion}/${kind}`);
}

export function findByGroupPlural(group: string, plural: string): ResourceType | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

export function findByKind(kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}

/**
 * Resolves what a user types as a resource name, as kubectl does: plural, singular, short name,
 * kind (any case), optionally qualified by group (`deployments.apps`, `deploy.apps`).
 */
export function resolveResource(name: string): ResourceType | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return RESOURCES.find(
    (r) =>
      (group === undefined || r.group === group || `${r.version}.${r.group}` === group) &&
      (r.plural === base || r.singular === base || r.kind.toLowerCase() === base || r.shortNames.includes(base)),
  );
}

/** The storage key of an object: `/<group>/<plural>/<namespace>/<name>`, namespace omitted for cluster-scoped. */
export function storageKey(r: ResourceType, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${storagePrefix(r, namespace)}${name}` : `${storagePrefix(r)}${name}`;
}

/** The key prefix that selects every object of a type, or of a type in one namespace. */
export function storagePrefix(r: ResourceType, namespace?: string): string {
  const g = r.group || 'core';
  return r.namespaced && namespace ? `/${g}/${r.plural}/${namespace}/` : `/${g}/${r.plural}/`;
}

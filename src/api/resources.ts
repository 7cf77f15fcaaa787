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
  /** Set on the custom resources a CustomResourceDefinition defines (see serveCustomResources). */
  custom?: CustomResourceInfo;
  /**
   * A built-in kind's other served version: objects are stored in this version (the one in
   * RESOURCES) and converted on the way in and out, as Kubernetes serves autoscaling/v1 HPAs.
   */
  storageVersion?: string;
}

/** What a custom resource's definition adds to its catalogue entry. */
export interface CustomResourceInfo {
  /** The CustomResourceDefinition's name (`plural.group`). */
  definition: string;
  /** The version objects are stored in (conversion strategy None: only apiVersion changes). */
  storageVersion: string;
  listKind: string;
  /** The definition is being deleted: its objects are read and deleted, no new ones created. */
  terminating: boolean;
  /** The definition's additionalPrinterColumns for this version, as the server prints them. */
  printerColumns: PrinterColumn[];
  /** The scale subresource's paths, when it has one. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

/** A CustomResourceColumnDefinition. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
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
  rt('', 'v1', 'Namespace', 'namespaces', ['ns'], false, ['status', 'finalize']),
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
/**
 * Versions served besides the catalogue's, converted to and from it (see storageVersion); the
 * generated schemas and codecs follow RESOURCES, lookups by group/version see these too.
 */
export const CONVERTED_VERSIONS: ResourceType[] = [
  { ...rt('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'], true, ['status'], ['all']), storageVersion: 'v2' },
];

/** Whether objects of r are stored as r says them (every type but the other versions of a kind). */
export function isStorageVersion(r: ResourceType): boolean {
  if (r.custom) return r.custom.storageVersion === r.version;
  return r.storageVersion === undefined;
}

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

// The custom resources served for CustomResourceDefinitions, by definition name: one entry per
// served version. Only the API server serves them (its catalogue of definitions keeps this up to
// date); the lookups below see them beside the built-in kinds.
const custom = new Map<string, ResourceType[]>();

const byGroupVersionKind = new Map<string, ResourceType>();
const byGroupVersionPlural = new Map<string, ResourceType>();
const byGroupPlural = new Map<string, ResourceType>();
let served: ResourceType[] = [...RESOURCES, ...CONVERTED_VERSIONS];
let generation = 0;
const servedListeners = new Set<() => void>();

function index(): void {
  generation++;
  byGroupVersionKind.clear();
  byGroupVersionPlural.clear();
  byGroupPlural.clear();
  served = [...RESOURCES, ...CONVERTED_VERSIONS, ...[...custom.values()].flat()];
  for (const r of served) {
    // A built-in kind is never shadowed by a definition that reuses its names.
    if (!byGroupVersionKind.has(`${apiVersionOf(r)}/${r.kind}`)) byGroupVersionKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
    if (!byGroupVersionPlural.has(`${apiVersionOf(r)}/${r.plural}`)) byGroupVersionPlural.set(`${apiVersionOf(r)}/${r.plural}`, r);
    // Unversioned lookups of a custom resource find its storage version.
    const stored = isStorageVersion(r);
    if (!byGroupPlural.has(`${r.group}/${r.plural}`) || (stored && byGroupPlural.get(`${r.group}/${r.plural}`)!.custom)) byGroupPlural.set(`${r.group}/${r.plural}`, r);
  }
  for (const listener of servedListeners) listener();
}
index();

/** Serves (or, given the same definition again, re-serves) the versions a CustomResourceDefinition defines. */
export function serveCustomResources(definition: string, versions: ResourceType[]): void {
  custom.set(definition, versions);
  index();
}

export function stopServingCustomResources(definition: string): void {
  if (custom.delete(definition)) index();
}

/** Calls listener whenever the served custom resources change; returns what stops that. */
export function onServedResourcesChange(listener: () => void): () => void {
  servedListeners.add(listener);
  return () => servedListeners.delete(listener);
}

/** Changes whenever the resources served change (a definition served, re-served or no longer served). */
export function catalogueGeneration(): number {
  return generation;
}

/** Every resource type served now: the built-in ones, then the custom ones. */
export function servedResources(): ResourceType[] {
  return served;
}

export function findByApiVersionKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byGroupVersionKind.get(`${apiVersion}/${kind}`);
}

/** The resource at /apis/GROUP/VERSION/PLURAL (group '' and version v1 for /api/v1). */
export function findServed(group: string, version: string, plural: string): ResourceType | undefined {
  return byGroupVersionPlural.get(`${group ? `${group}/` : ''}${version}/${plural}`);
}

export function findByGroupPlural(group: string, plural: string): ResourceType | undefined {
  return byGroupPlural.get(`${group}/${plural}`);
}

/** The resources of a category (`all`, or one a definition names, as `kubectl get CATEGORY` expands it). */
export function resourcesInCategory(category: string): ResourceType[] {
  const lower = category.toLowerCase();
  return served.filter((r) => r.categories.includes(lower) && (!r.custom || r.custom.storageVersion === r.version));
}

export function findByKind(kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}

/**
 * Resolves what a user types as a resource name, as kubectl does: plural, singular, short name,
 * kind (any case), optionally qualified by group (`deployments.apps`, `deploy.apps`); built-in
 * kinds first, then custom ones.
 */
export function resolveResource(name: string): ResourceType | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return served.find(
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

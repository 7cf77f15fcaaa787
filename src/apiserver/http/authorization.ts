// Whether an authenticated user may make a request, and Kubernetes' Forbidden answer when not.
// The token file's users are superusers (system:masters); nodes (group system:nodes, from their
// client certificates) get the rules a kubelet needs (a subset of Kubernetes' system:node role);
// bootstrap tokens may only ask for a node's certificate and read cluster-info, as kubeadm's
// system:node-bootstrapper binding and cluster-info role allow; the anonymous user may read
// cluster-info only; every authenticated user may read discovery, as Kubernetes' system:discovery
// role allows. Service accounts get nothing more: there is no RBAC yet to grant them anything.
import { ApiError } from '../../api/errors.js';
import { ANONYMOUS_USER, MASTERS_GROUP, type UserInfo } from './authentication.js';
import { BOOTSTRAPPERS_GROUP } from '../../api/bootstrap-token.js';
import { NODES_GROUP } from '../../api/certificate-signing-requests.js';
import { CLUSTER_INFO_CONFIG_MAP, CLUSTER_INFO_NAMESPACE } from '../../api/cluster-info.js';
import type { Route } from './routes.js';
import { queryBool } from './query-options.js';

export interface ResourceAttributes {
  resourceRequest: true;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface NonResourceAttributes {
  resourceRequest: false;
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

interface ResourceRule {
  apiGroups: string[];
  /** `resource` or `resource/subresource`. */
  resources: string[];
  verbs: string[];
  /** Absent: any namespace, and cluster-scoped resources. */
  namespaces?: string[];
  /** Absent: any object. Kubernetes' resourceNames. */
  names?: string[];
  /** Only objects the user made itself (certificate signing requests whose spec.username is the user's). */
  ownObjects?: true;
}

/** What authorization may look up about the object a request names. */
export interface AuthorizationContext {
  /** The spec.username of a CertificateSigningRequest; undefined when there is none. */
  csrRequester?(name: string): string | undefined;
}

const READ = ['get', 'list', 'watch'];

const CSRS = 'certificatesigningrequests';
// Creating a CSR and following one's own to its certificate: a node's renewal, a token's first request.
const OWN_CSR_RULES: ResourceRule[] = [
  { apiGroups: ['certificates.k8s.io'], resources: [CSRS], verbs: ['create'] },
  { apiGroups: ['certificates.k8s.io'], resources: [CSRS], verbs: READ, ownObjects: true },
];
const CLUSTER_INFO_RULE: ResourceRule = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], namespaces: [CLUSTER_INFO_NAMESPACE], names: [CLUSTER_INFO_CONFIG_MAP] };

export const BOOTSTRAPPER_RULES: ResourceRule[] = [...OWN_CSR_RULES, CLUSTER_INFO_RULE];

export const NODE_AGENT_RULES: ResourceRule[] = [
  ...OWN_CSR_RULES,
  { apiGroups: [''], resources: ['nodes'], verbs: [...READ, 'create', 'update', 'patch'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...READ, 'create', 'update', 'patch'], namespaces: ['kube-node-lease'] },
  // delete: a pod whose containers have stopped after a graceful deletion is removed by its node.
  { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'delete'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
  { apiGroups: [''], resources: ['secrets', 'configmaps', 'services', 'endpoints', 'namespaces'], verbs: READ },
  // The machine's service proxy and ingress proxy run in a node agent.
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['get', 'update', 'patch'] },
  // The service account tokens projected into pods' kube-api-access volumes.
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  // The agent checks who calls its logs and exec endpoint.
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
];

// Subresources that open a stream are `create`, whatever the method (a WebSocket upgrade is a GET).
const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

// Kubernetes' system:discovery and system:public-info-viewer paths; `*` ends a prefix.
const DISCOVERY_PATHS = ['/api', '/api/*', '/apis', '/apis/*', '/version', '/version/', '/openapi', '/openapi/*', '/healthz', '/livez', '/readyz'];

/** The Kubernetes verb of an HTTP request on a resource path. */
export function resourceVerb(method: string, hasName: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** `metadata.name=X` (or `==`) in a field selector: a list or watch of one object, which Kubernetes authorizes as that name. */
function selectedName(query: URLSearchParams): string | undefined {
  const selector = query.get('fieldSelector');
  if (!selector || selector.includes(',')) return undefined;
  return /^metadata\.name==?(.+)$/.exec(selector)?.[1];
}

/** What a request asks to do, as Kubernetes' RequestInfo describes it to authorizers. */
export function requestAttributes(method: string, path: string, route: Route, query: URLSearchParams): RequestAttributes {
  if (route.type !== 'resource') return { resourceRequest: false, verb: method.toLowerCase(), path };
  const { resource: r, subresource } = route;
  const watch = route.watch || queryBool(query, 'watch');
  const collection = route.name === undefined;
  const name = route.name ?? (method === 'GET' ? selectedName(query) : undefined);
  return {
    resourceRequest: true,
    verb: subresource && STREAMING_SUBRESOURCES.has(subresource) ? 'create' : resourceVerb(method, !collection, watch),
    apiGroup: r.group,
    resource: r.plural,
    subresource,
    // A namespace object is in its own namespace.
    namespace: route.namespace ?? (r.kind === 'Namespace' ? name : undefined),
    name,
  };
}

function resourceRuleAllows(rule: ResourceRule, user: UserInfo, a: ResourceAttributes, ctx: AuthorizationContext): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (
    rule.apiGroups.includes(a.apiGroup) &&
    rule.resources.includes(resource) &&
    rule.verbs.includes(a.verb) &&
    (!rule.namespaces || (a.namespace !== undefined && rule.namespaces.includes(a.namespace))) &&
    (!rule.names || (a.name !== undefined && rule.names.includes(a.name))) &&
    (!rule.ownObjects || (a.name !== undefined && ctx.csrRequester?.(a.name) === user.name))
  );
}

/** The rules a user's groups grant, beyond discovery. */
function rulesOf(user: UserInfo): ResourceRule[] {
  if (user.name === ANONYMOUS_USER) return [CLUSTER_INFO_RULE];
  return [...(user.groups.includes(NODES_GROUP) ? NODE_AGENT_RULES : []), ...(user.groups.includes(BOOTSTRAPPERS_GROUP) ? BOOTSTRAPPER_RULES : [])];
}

function discoveryAllows(a: NonResourceAttributes): boolean {
  if (a.verb !== 'get' && a.verb !== 'head') return false;
  return DISCOVERY_PATHS.some((p) => (p.endsWith('*') ? a.path.startsWith(p.slice(0, -1)) : a.path === p));
}

export function isAllowed(user: UserInfo, a: RequestAttributes, ctx: AuthorizationContext = {}): boolean {
  if (user.groups.includes(MASTERS_GROUP)) return true;
  if (!a.resourceRequest) return user.name !== ANONYMOUS_USER && discoveryAllows(a);
  return rulesOf(user).some((rule) => resourceRuleAllows(rule, user, a, ctx));
}

/** Kubernetes' message: `deployments.apps "x" is forbidden: User "u" cannot delete resource "deployments" in API group "apps" in the namespace "default"`. */
export function forbidden(user: UserInfo, a: RequestAttributes): ApiError {
  if (!a.resourceRequest) return new ApiError('Forbidden', `forbidden: User "${user.name}" cannot ${a.verb} path "${a.path}"`);
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const target = a.name ? `${qualified} "${a.name}"` : qualified;
  return new ApiError('Forbidden', `${target} is forbidden: ${why}`, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  });
}

/** Throws the Forbidden error unless the user may make the request. */
export function authorize(user: UserInfo, a: RequestAttributes, ctx: AuthorizationContext = {}): void {
  if (!isAllowed(user, a, ctx)) throw forbidden(user, a);
}

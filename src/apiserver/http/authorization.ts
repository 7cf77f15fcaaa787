// Whether an authenticated user may make a request, and Kubernetes' Forbidden answer when not.
// The token file's users are superusers (system:masters); bootstrap tokens, which node agents
// join with, get the rules a kubelet needs (a subset of Kubernetes' system:node role); every
// authenticated user may read discovery, as Kubernetes' system:discovery role allows. Service
// accounts get nothing more: there is no RBAC yet to grant them anything.
import { ApiError } from '../../api/errors.js';
import { MASTERS_GROUP, type UserInfo } from './authentication.js';
import { BOOTSTRAPPERS_GROUP } from '../../api/bootstrap-token.js';
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
}

const READ = ['get', 'list', 'watch'];

const NODE_AGENT_RULES: ResourceRule[] = [
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

/** What a request asks to do, as Kubernetes' RequestInfo describes it to authorizers. */
export function requestAttributes(method: string, path: string, route: Route, query: URLSearchParams): RequestAttributes {
  if (route.type !== 'resource') return { resourceRequest: false, verb: method.toLowerCase(), path };
  const { resource: r, name, subresource } = route;
  const watch = route.watch || queryBool(query, 'watch');
  return {
    resourceRequest: true,
    verb: subresource && STREAMING_SUBRESOURCES.has(subresource) ? 'create' : resourceVerb(method, name !== undefined, watch),
    apiGroup: r.group,
    resource: r.plural,
    subresource,
    // A namespace object is in its own namespace.
    namespace: route.namespace ?? (r.kind === 'Namespace' ? name : undefined),
    name,
  };
}

function resourceRuleAllows(rule: ResourceRule, a: ResourceAttributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (
    rule.apiGroups.includes(a.apiGroup) &&
    rule.resources.includes(resource) &&
    rule.verbs.includes(a.verb) &&
    (!rule.namespaces || (a.namespace !== undefined && rule.namespaces.includes(a.namespace)))
  );
}

function discoveryAllows(a: NonResourceAttributes): boolean {
  if (a.verb !== 'get' && a.verb !== 'head') return false;
  return DISCOVERY_PATHS.some((p) => (p.endsWith('*') ? a.path.startsWith(p.slice(0, -1)) : a.path === p));
}

export function isAllowed(user: UserInfo, a: RequestAttributes): boolean {
  if (user.groups.includes(MASTERS_GROUP)) return true;
  if (!a.resourceRequest) return discoveryAllows(a);
  return user.groups.includes(BOOTSTRAPPERS_GROUP) && NODE_AGENT_RULES.some((rule) => resourceRuleAllows(rule, a));
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
export function authorize(user: UserInfo, a: RequestAttributes): void {
  if (!isAllowed(user, a)) throw forbidden(user, a);
}

// What a request asks to do, as Kubernetes' RequestInfo describes it to authorizers: a verb on a
// resource (group, resource, subresource, namespace, name) or on a non-resource path.
import type { Route } from '../http/routes.js';
import { queryBool } from '../http/query-options.js';
import { parseFieldSelector } from '../../api/field-selector.js';
import { isPathSegmentName } from '../../api/validation/names.js';

export interface ResourceAttributes {
  resourceRequest: true;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The request's field selector (list and watch), which the node authorizer reads. */
  fieldSelector?: string;
}

export interface NonResourceAttributes {
  resourceRequest: false;
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

// Subresources that open a stream are `create`, whatever the method (a WebSocket upgrade is a GET).
const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

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

function exactName(fieldSelector: string): string | undefined {
  try {
    const r = parseFieldSelector(fieldSelector).requirements.find((x) => x.field === 'metadata.name' && x.operator === '=');
    return r && isPathSegmentName(r.value).length === 0 ? r.value : undefined;
  } catch {
    return undefined;
  }
}

export function requestAttributes(method: string, path: string, route: Route, query: URLSearchParams): RequestAttributes {
  if (route.type !== 'resource') return { resourceRequest: false, verb: method === 'HEAD' ? 'get' : method.toLowerCase(), path };
  const { resource: r, name, subresource } = route;
  const watch = route.watch || queryBool(query, 'watch');
  const a: ResourceAttributes = {
    resourceRequest: true,
    verb: subresource && STREAMING_SUBRESOURCES.has(subresource) ? 'create' : resourceVerb(method, name !== undefined, watch),
    apiGroup: r.group,
    resource: r.plural,
    subresource,
    // A namespace object is in its own namespace.
    namespace: route.namespace ?? (r.kind === 'Namespace' ? name : undefined),
    name,
  };
  const fieldSelector = query.get('fieldSelector');
  if (fieldSelector) {
    a.fieldSelector = fieldSelector;
    // A list or watch of one object by name is authorized as that object, as Kubernetes does.
    if (!name && (a.verb === 'list' || a.verb === 'watch')) a.name = exactName(fieldSelector);
  }
  return a;
}

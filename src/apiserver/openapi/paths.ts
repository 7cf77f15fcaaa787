// The OpenAPI (Swagger 2.0) paths: every operation the server answers on each resource, named and
// described as Kubernetes' own document does (operationId, x-kubernetes-action,
// x-kubernetes-group-version-kind, parameters). kubectl reads them to learn which kinds take a
// strategic merge patch; generated clients read them to make their methods.
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import { gvk, kindDefinition, listDefinition, REF, subresourceKind, type Schema } from './definitions.js';

export type Paths = Record<string, Schema>;

/** The media types the server answers with and, for PATCH, accepts: kept with the code that serves them. */
export interface ServedMediaTypes {
  responses: string[];
  /** A watch's, as `application/json;stream=watch`. */
  watches: string[];
  patches: string[];
}

// The query parameters, worded as Kubernetes documents them.
const QUERY: Record<string, { type: string; description: string }> = {
  pretty: { type: 'string', description: "If 'true', then the output is pretty printed." },
  dryRun: {
    type: 'string',
    description:
      'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
  },
  fieldManager: {
    type: 'string',
    description:
      'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
  },
  allowWatchBookmarks: {
    type: 'boolean',
    description:
      'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session.',
  },
  continue: {
    type: 'string',
    description:
      'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize.',
  },
  fieldSelector: { type: 'string', description: 'A selector to restrict the list of returned objects by their fields. Defaults to everything.' },
  labelSelector: { type: 'string', description: 'A selector to restrict the list of returned objects by their labels. Defaults to everything.' },
  limit: {
    type: 'integer',
    description:
      'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.',
  },
  resourceVersion: {
    type: 'string',
    description:
      'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset',
  },
  resourceVersionMatch: {
    type: 'string',
    description:
      'resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset',
  },
  sendInitialEvents: {
    type: 'boolean',
    description:
      '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic "Bookmark" event  will be sent. The bookmark will report the ResourceVersion (RV) corresponding to the set of objects, and be marked with `"k8s.io/initial-events-end": "true"` annotation.',
  },
  timeoutSeconds: {
    type: 'integer',
    description: 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.',
  },
  watch: {
    type: 'boolean',
    description:
      'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.',
  },
  gracePeriodSeconds: {
    type: 'integer',
    description:
      'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.',
  },
  orphanDependents: {
    type: 'boolean',
    description:
      'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.',
  },
  propagationPolicy: {
    type: 'string',
    description:
      "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
  },
  container: { type: 'string', description: 'The container for which to stream logs. Defaults to only container if there is one container in the pod.' },
  follow: { type: 'boolean', description: 'Follow the log stream of the pod. Defaults to false.' },
  previous: { type: 'boolean', description: 'Return previous terminated container logs. Defaults to false.' },
  sinceSeconds: { type: 'integer', description: 'A relative time in seconds before the current time from which to show logs.' },
  tailLines: { type: 'integer', description: 'If set, the number of lines from the end of the logs to show.' },
  timestamps: { type: 'boolean', description: 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.' },
};

const LIST_PARAMS = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const WRITE_PARAMS = ['dryRun', 'fieldManager'];
const DELETE_PARAMS = ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'];
const LOG_PARAMS = ['container', 'follow', 'previous', 'sinceSeconds', 'tailLines', 'timestamps'];

function query(name: string): Schema {
  return { uniqueItems: true, type: QUERY[name].type, name, in: 'query', description: QUERY[name].description };
}

function pathParam(name: string, description: string): Schema {
  return { uniqueItems: true, type: 'string', description, name, in: 'path', required: true };
}

const NAMESPACE_PARAM = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

function body(schemaName: string): Schema {
  return { name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${schemaName}` } };
}

function responses(codes: Record<string, string>, schemaName?: string): Schema {
  const out: Schema = {};
  for (const [code, description] of Object.entries(codes)) out[code] = { description, ...(schemaName ? { schema: { $ref: `#/definitions/${schemaName}` } } : {}) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

/** `CoreV1`, `AppsV1`, `NetworkingV1` as in Kubernetes' operation IDs; `core_v1` and the like as tags. */
function groupWords(r: { group: string; version: string }): { id: string; tag: string } {
  const group = r.group ? r.group.split('.')[0] : 'core';
  return { id: `${group[0].toUpperCase()}${group.slice(1)}${r.version[0].toUpperCase()}${r.version.slice(1)}`, tag: `${group}_${r.version}` };
}

/** Every path of one resource, with its operations. */
export function resourcePaths(r: ResourceType, media: ServedMediaTypes): Paths {
  const { id, tag } = groupWords(r);
  const root = r.group ? `/apis/${r.group}/${r.version}` : '/api/v1';
  const scope = r.namespaced ? 'namespaces/{namespace}/' : '';
  const namespaced = r.namespaced ? 'Namespaced' : '';
  const kindGvk = gvk(r.group, r.version, r.kind);
  const kind = kindDefinition(r);
  const list = listDefinition(r);
  const scopeParams = r.namespaced ? [NAMESPACE_PARAM] : [];
  const nameParam = pathParam('name', `name of the ${r.kind}`);
  const pretty = query('pretty');
  const op = (action: string, operationId: string, description: string, rest: Schema, k = kindGvk, produces = media.responses): Schema => ({
    description,
    consumes: ['*/*'],
    produces,
    schemes: ['https'],
    tags: [tag],
    operationId,
    ...rest,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': k,
  });
  const paths: Paths = {};

  paths[`${root}/${scope}${r.plural}`] = {
    get: op('list', `list${id}${namespaced}${r.kind}`, `list or watch objects of kind ${r.kind}`, {
      produces: [...media.responses, ...media.watches],
      parameters: LIST_PARAMS.map(query),
      responses: responses({ 200: 'OK' }, list),
    }),
    post: op('post', `create${id}${namespaced}${r.kind}`, `create a ${r.kind}`, {
      parameters: [body(kind), ...WRITE_PARAMS.map(query)],
      responses: responses({ 200: 'OK', 201: 'Created', 202: 'Accepted' }, kind),
    }),
    delete: op('deletecollection', `delete${id}Collection${namespaced}${r.kind}`, `delete collection of ${r.kind}`, {
      parameters: [{ name: 'body', in: 'body', schema: { $ref: `#/definitions/${REF.deleteOptions}` } }, ...LIST_PARAMS.filter((p) => p !== 'watch' && p !== 'allowWatchBookmarks').map(query), ...DELETE_PARAMS.map(query)],
      responses: responses({ 200: 'OK' }, REF.status),
    }),
    parameters: [...scopeParams, pretty],
  };
  paths[`${root}/${scope}${r.plural}/{name}`] = {
    get: op('get', `read${id}${namespaced}${r.kind}`, `read the specified ${r.kind}`, { responses: responses({ 200: 'OK' }, kind) }),
    put: op('put', `replace${id}${namespaced}${r.kind}`, `replace the specified ${r.kind}`, {
      parameters: [body(kind), ...WRITE_PARAMS.map(query)],
      responses: responses({ 200: 'OK', 201: 'Created' }, kind),
    }),
    delete: op('delete', `delete${id}${namespaced}${r.kind}`, `delete a ${r.kind}`, {
      parameters: [{ name: 'body', in: 'body', schema: { $ref: `#/definitions/${REF.deleteOptions}` } }, ...DELETE_PARAMS.map(query)],
      responses: responses({ 200: 'OK', 202: 'Accepted' }, REF.status),
    }),
    patch: op('patch', `patch${id}${namespaced}${r.kind}`, `partially update the specified ${r.kind}`, {
      consumes: media.patches,
      parameters: [body(REF.patch), ...WRITE_PARAMS.map(query)],
      responses: responses({ 200: 'OK', 201: 'Created' }, kind),
    }),
    parameters: [nameParam, ...scopeParams, pretty],
  };
  if (r.namespaced) {
    paths[`${root}/${r.plural}`] = {
      get: op('list', `list${id}${r.kind}ForAllNamespaces`, `list or watch objects of kind ${r.kind}`, {
        produces: [...media.responses, ...media.watches],
        responses: responses({ 200: 'OK' }, list),
      }),
      parameters: [...LIST_PARAMS.map(query), pretty],
    };
  }
  // The legacy watch paths, which Kubernetes marks deprecated but still serves.
  const watch = (action: string, operationId: string, description: string, params: Schema[]) => ({
    get: op(action, operationId, description, { produces: [...media.responses, ...media.watches], responses: responses({ 200: 'OK' }, REF.watchEvent) }),
    parameters: [...params, ...LIST_PARAMS.map(query), pretty],
  });
  paths[`${root}/watch/${scope}${r.plural}`] = watch(
    'watchlist',
    `watch${id}${namespaced}${r.kind}List`,
    `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
    scopeParams,
  );
  paths[`${root}/watch/${scope}${r.plural}/{name}`] = watch(
    'watch',
    `watch${id}${namespaced}${r.kind}`,
    `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
    [nameParam, ...scopeParams],
  );
  if (r.namespaced) {
    paths[`${root}/watch/${r.plural}`] = watch(
      'watchlist',
      `watch${id}${r.kind}ListForAllNamespaces`,
      `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
      [],
    );
  }
  for (const sub of r.subresources) {
    const path = `${root}/${scope}${r.plural}/{name}/${sub}`;
    const Sub = sub[0].toUpperCase() + sub.slice(1);
    const subParams = [pathParam('name', `name of the ${sub === 'scale' ? 'Scale' : r.kind}`), ...scopeParams, pretty];
    if (sub === 'status' || sub === 'scale') {
      const target = sub === 'scale' ? subresourceKind('Scale') : undefined;
      const schemaName = target ? target.name : kind;
      const k = target ? gvk(target.group, target.version, target.kind) : kindGvk;
      paths[path] = {
        get: op('get', `read${id}${namespaced}${r.kind}${Sub}`, `read ${sub} of the specified ${r.kind}`, { responses: responses({ 200: 'OK' }, schemaName) }, k),
        put: op(
          'put',
          `replace${id}${namespaced}${r.kind}${Sub}`,
          `replace ${sub} of the specified ${r.kind}`,
          { parameters: [body(schemaName), ...WRITE_PARAMS.map(query)], responses: responses({ 200: 'OK', 201: 'Created' }, schemaName) },
          k,
        ),
        patch: op(
          'patch',
          `patch${id}${namespaced}${r.kind}${Sub}`,
          `partially update ${sub} of the specified ${r.kind}`,
          { consumes: media.patches, parameters: [body(REF.patch), ...WRITE_PARAMS.map(query)], responses: responses({ 200: 'OK', 201: 'Created' }, schemaName) },
          k,
        ),
        parameters: subParams,
      };
    } else if (sub === 'binding' || sub === 'eviction' || sub === 'token') {
      const target = subresourceKind(sub === 'binding' ? 'Binding' : sub === 'eviction' ? 'Eviction' : 'TokenRequest');
      paths[path] = {
        post: op(
          'post',
          `create${id}${namespaced}${r.kind}${Sub}`,
          `create ${sub} of a ${r.kind}`,
          { parameters: [body(target.name), ...WRITE_PARAMS.map(query)], responses: responses({ 200: 'OK', 201: 'Created', 202: 'Accepted' }, target.name) },
          gvk(target.group, target.version, target.kind),
        ),
        parameters: subParams,
      };
    } else if (sub === 'log') {
      paths[path] = {
        get: op('get', `read${id}${namespaced}${r.kind}Log`, `read log of the specified ${r.kind}`, {
          produces: ['text/plain', 'application/json'],
          responses: { 200: { description: 'OK', schema: { type: 'string' } }, 401: { description: 'Unauthorized' } },
        }),
        parameters: [...subParams, ...LOG_PARAMS.map(query)],
      };
    } else if (sub === 'exec' || sub === 'attach' || sub === 'portforward') {
      const options = sub === 'exec' ? 'PodExecOptions' : sub === 'attach' ? 'PodAttachOptions' : 'PodPortForwardOptions';
      const connect = (method: string) =>
        op('connect', `connect${method}${id}${namespaced}${r.kind}${Sub}`, `connect ${method} requests to ${sub} of ${r.kind}`, {
          consumes: ['*/*'],
          produces: ['*/*'],
          responses: { 200: { description: 'OK', schema: { type: 'string' } }, 401: { description: 'Unauthorized' } },
        }, gvk('', 'v1', options));
      paths[path] = { get: connect('Get'), post: connect('Post'), parameters: [pathParam('name', `name of the ${options}`), ...scopeParams] };
    }
  }
  return paths;
}

/** The group version a path belongs to, as the OpenAPI v3 index names it: `api/v1`, `apis/apps/v1`. */
export function groupVersionOfPath(path: string): string {
  const parts = path.split('/');
  return parts[1] === 'api' ? `api/${parts[2]}` : `apis/${parts[2]}/${parts[3]}`;
}

export function groupVersionKey(r: ResourceType): string {
  return r.group ? `apis/${apiVersionOf(r)}` : 'api/v1';
}

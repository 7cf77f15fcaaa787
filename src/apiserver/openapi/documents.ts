// The OpenAPI documents: Swagger 2.0 for /openapi/v2, and OpenAPI 3.0 per group version for
// /openapi/v3/{api/v1,apis/G/V}, as Kubernetes serves them, for the built-in kinds and the custom
// kinds served when they are built.
import { servedResources } from '../../api/resources.js';
import { buildDefinitions, REF, type Definitions, type Schema } from './definitions.js';
import { groupVersionOfPath, resourcePaths, type Paths, type ServedMediaTypes } from './paths.js';

const BEARER = { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } };

/** What custom resources are served as: JSON (and YAML), no protobuf, no strategic merge patch, as on Kubernetes. */
function customMedia(media: ServedMediaTypes): ServedMediaTypes {
  const plain = (t: string) => !t.includes('protobuf');
  return { responses: media.responses.filter(plain), watches: media.watches.filter(plain), patches: media.patches.filter((t) => !t.includes('strategic')) };
}

function allPaths(media: ServedMediaTypes): Paths {
  const paths: Paths = {};
  // A built-in kind's other versions (autoscaling/v1 HPAs) have no schema of their own here: the documents describe the stored one.
  for (const r of servedResources()) if (!r.storageVersion) Object.assign(paths, resourcePaths(r, r.custom ? customMedia(media) : media));
  return Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]]));
}

export function swaggerDocument(version: string, media: ServedMediaTypes): Schema {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version },
    paths: allPaths(media),
    definitions: buildDefinitions(),
    securityDefinitions: BEARER,
    security: [{ BearerToken: [] }],
  };
}

/** A v2 schema as OpenAPI 3.0 writes it: references into components, a reference with siblings wrapped in allOf. */
function v3Schema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(v3Schema);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === '$ref') out.$ref = String(v).replace('#/definitions/', '#/components/schemas/');
    else if (k === 'properties' || k === 'x-kubernetes-group-version-kind' || k === 'enum' || k === 'required') {
      out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, v3Schema(s)])) : v;
    } else out[k] = typeof v === 'object' ? v3Schema(v) : v;
  }
  if (out.$ref && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [{ $ref }] };
  }
  return out;
}

/** A v2 operation as OpenAPI 3.0: a request body and responses with content per media type. */
function v3Operation(op: Schema): Schema {
  const { consumes, produces, schemes: _schemes, parameters = [], responses, ...rest } = op;
  const out: Schema = { ...rest };
  const bodyParam = (parameters as Schema[]).find((p) => p.in === 'body');
  const others = (parameters as Schema[]).filter((p) => p.in !== 'body');
  if (others.length) out.parameters = others.map(v3Parameter);
  if (bodyParam) {
    const types = (consumes as string[]).includes('*/*') ? ['*/*'] : (consumes as string[]);
    out.requestBody = { content: Object.fromEntries(types.map((t) => [t, { schema: v3Schema(bodyParam.schema) }])), ...(bodyParam.required ? { required: true } : {}) };
  }
  out.responses = Object.fromEntries(
    Object.entries(responses as Schema).map(([code, res]) => [
      code,
      res.schema
        ? { description: res.description, content: Object.fromEntries((produces as string[]).map((t) => [t, { schema: v3Schema(res.schema) }])) }
        : { description: res.description },
    ]),
  );
  return out;
}

function v3Parameter(p: Schema): Schema {
  const { type, uniqueItems, name, in: where, description, required } = p;
  return { name, in: where, description, ...(required ? { required } : {}), schema: { type, uniqueItems } };
}

function v3PathItem(item: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(item)) out[k] = k === 'parameters' ? (v as Schema[]).map(v3Parameter) : v3Operation(v as Schema);
  return out;
}

/** The definitions a document refers to, and those they refer to. */
function referenced(root: unknown, defs: Definitions): Definitions {
  const out: Definitions = {};
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Schema)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = v.slice(v.lastIndexOf('/') + 1);
        if (!out[name] && defs[name]) {
          out[name] = defs[name];
          visit(defs[name]);
        }
      } else visit(v);
    }
  };
  visit(root);
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/**
 * Types that are one of several in OpenAPI 3.0, where Kubernetes writes them with `oneOf` and no
 * `type` (so kubectl explain names them: `<IntOrString>`, `map[string]Quantity`).
 */
const V3_ONE_OF: Record<string, { types: string[]; format?: string }> = {
  [REF.intOrString]: { types: ['integer', 'string'], format: 'int-or-string' },
  [REF.quantity]: { types: ['string', 'number'] },
};

function v3Definition(name: string, schema: Schema): Schema {
  const oneOf = V3_ONE_OF[name];
  if (!oneOf) return v3Schema(schema) as Schema;
  return { description: schema.description, ...(oneOf.format ? { format: oneOf.format } : {}), oneOf: oneOf.types.map((type) => ({ type })) };
}

/** The OpenAPI 3.0 document of each group version, by its index key (`api/v1`, `apis/apps/v1`). */
export function openApiV3Documents(version: string, swagger: Schema): Map<string, Schema> {
  const byGroupVersion = new Map<string, Paths>();
  for (const [path, item] of Object.entries(swagger.paths as Paths)) {
    const key = groupVersionOfPath(path);
    if (!byGroupVersion.has(key)) byGroupVersion.set(key, {});
    byGroupVersion.get(key)![path] = item;
  }
  const docs = new Map<string, Schema>();
  for (const [key, paths] of [...byGroupVersion].sort(([a], [b]) => a.localeCompare(b))) {
    const schemas = referenced(paths, swagger.definitions);
    docs.set(key, {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version },
      paths: Object.fromEntries(Object.entries(paths).map(([path, item]) => [path, v3PathItem(item)])),
      components: { schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, v3Definition(name, schema)])), securitySchemes: BEARER },
    });
  }
  return docs;
}

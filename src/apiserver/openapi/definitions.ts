// The OpenAPI (Swagger 2.0) definitions of every kind the server serves, built from the JSON
// schemas it validates with, so what clients read is what the server enforces. Kubernetes' names
// (`io.k8s.api.core.v1.PodSpec`) and field descriptions come from schema-docs.json (made by
// scripts/generate-openapi-docs.mjs); the patch extensions from the table the server's strategic
// merge patch uses, so kubectl computes the patches the server applies the same way; the list and
// map types from the table its server-side apply merges with.
import schemaDocument from '../registry/schemas/kubernetes.json' with { type: 'json' };
import schemaDocs from './schema-docs.json' with { type: 'json' };
import { servedResources, type ResourceType } from '../../api/resources.js';
import { patchMetaFor, type PatchMeta } from '../../api/patch/patch-merge-keys.js';
import { isAtomicMap, isAtomicStruct, listTag } from '../registry/fieldmanager/type-tags.js';
import { customOpenApiSchemaFor } from '../registry/customresources/served-versions.js';

export type Schema = Record<string, any>;
export type Definitions = Record<string, Schema>;

interface DefinitionDocs {
  name: string;
  description?: string;
  properties: Record<string, string | undefined>;
}

interface SubresourceKind {
  name: string;
  group: string;
  version: string;
  kind: string;
}

const docs = schemaDocs as unknown as {
  definitions: Record<string, DefinitionDocs>;
  lists: Record<string, DefinitionDocs>;
  extra: Definitions;
  subresourceKinds: Record<string, SubresourceKind>;
};
const schemas = (schemaDocument as unknown as { definitions: Definitions }).definitions;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const REF = {
  listMeta: `${META}.ListMeta`,
  status: `${META}.Status`,
  deleteOptions: `${META}.DeleteOptions`,
  watchEvent: `${META}.WatchEvent`,
  patch: `${META}.Patch`,
  intOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
};

/**
 * What the generated docs say of a definition. One they do not know (a kind added without
 * re-running the generator, which a unit test catches) still gets a name, in kctl's own package.
 */
function docsOf(shortName: string): DefinitionDocs {
  return docs.definitions[shortName] ?? { name: `io.k8s.kctl.${shortName}`, properties: {} };
}

/** Kubernetes' name of a kind's definition, and of its list's; a custom kind's is its group reversed, its version and kind (`com.example.v1.Widget`). */
export function kindDefinition(r: ResourceType): string {
  if (r.custom) return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
  return docsOf(r.kind).name;
}

export function listDefinition(r: ResourceType): string {
  return (!r.custom && docs.lists[r.kind]?.name) || `${kindDefinition(r)}List`;
}

/** The kind a subresource reads and writes (Scale, Eviction, Binding, TokenRequest). */
export function subresourceKind(kind: string): SubresourceKind {
  return docs.subresourceKinds[kind];
}

export function gvk(group: string, version: string, kind: string): { group: string; kind: string; version: string } {
  return { group, kind, version };
}

/** Kubernetes' wording for the types the schemas keep inline or simplify. */
const SPECIAL: Definitions = {
  [REF.intOrString]: {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  },
};

function ref(name: string): Schema {
  return { $ref: `#/definitions/${name}` };
}

/** One validation schema node as an OpenAPI schema: references renamed, validation-only keywords dropped. */
function convert(node: Schema): Schema {
  if (node.$ref) return ref(docsOf(String(node.$ref).slice('#/definitions/'.length)).name);
  if (Array.isArray(node.type) && node.type.includes('integer') && node.type.includes('string')) return ref(REF.intOrString);
  const out: Schema = {};
  if (node.type !== undefined) out.type = node.type;
  // Kubernetes' OpenAPI lists enum values sorted (its validation messages keep another order).
  if (node.enum) out.enum = [...node.enum].sort();
  if (node.items) out.items = convert(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = convert(node.additionalProperties);
  return out;
}

function definitionFor(shortName: string): Schema {
  const source = schemas[shortName];
  const d = docsOf(shortName);
  const out: Schema = d.description ? { description: d.description } : {};
  switch (shortName) {
    case 'Quantity':
      return { ...out, type: 'string' };
    case 'Time':
    case 'MicroTime':
      return { ...out, type: 'string', format: 'date-time' };
  }
  if (source.type) out.type = source.type;
  if (source.required?.length) out.required = source.required;
  if (source.properties) {
    out.properties = {};
    for (const [prop, schema] of Object.entries(source.properties as Definitions)) {
      const description = d.properties[prop];
      out.properties[prop] = { ...(description ? { description } : {}), ...convert(schema), ...mergeTypes(shortName, prop) };
    }
  }
  if (source.additionalProperties && typeof source.additionalProperties === 'object') out.additionalProperties = convert(source.additionalProperties);
  if (isAtomicStruct(shortName)) out['x-kubernetes-map-type'] = 'atomic';
  return out;
}

/** How server-side apply merges a property: a list as a set or a map by keys, a map as a whole. */
function mergeTypes(owner: string, prop: string): Schema {
  const out: Schema = {};
  const list = listTag(owner, prop);
  if (list) out['x-kubernetes-list-type'] = list.type;
  if (list?.type === 'map') out['x-kubernetes-list-map-keys'] = [...list.keys];
  if (isAtomicMap(owner, prop)) out['x-kubernetes-map-type'] = 'atomic';
  return out;
}

function patchExtensions(meta: PatchMeta): Schema {
  const out: Schema = {};
  const strategy = [meta.merge ? 'merge' : '', meta.retainKeys ? 'retainKeys' : ''].filter(Boolean).join(',');
  if (strategy) out['x-kubernetes-patch-strategy'] = strategy;
  if (meta.mergeKey) out['x-kubernetes-patch-merge-key'] = meta.mergeKey;
  return out;
}

/** The definition a property leads to, through a list's items or a map's values. */
function referencedDefinition(schema: Schema): string | undefined {
  const target = schema.$ref ?? schema.items?.$ref ?? schema.additionalProperties?.$ref;
  return target ? String(target).slice('#/definitions/'.length) : undefined;
}

/** Walks a kind from its root, marking each field the server's patch table gives a strategy. */
function annotatePatchStrategies(defs: Definitions, kind: string, defName: string, path: string[], within: ReadonlySet<string> = new Set()): void {
  const def = defs[defName];
  // Recursive types (JSONSchemaProps refers to itself a dozen ways) are walked once per branch.
  if (!def?.properties || within.has(defName)) return;
  const inside = new Set(within).add(defName);
  for (const [prop, schema] of Object.entries(def.properties as Definitions)) {
    const at = [...path, prop];
    const meta = patchMetaFor(kind, at);
    if (meta.merge || meta.retainKeys) Object.assign(schema, patchExtensions(meta));
    const next = referencedDefinition(schema);
    if (next) annotatePatchStrategies(defs, kind, next, at, inside);
  }
}

function listDefinitionFor(r: ResourceType): Schema {
  const d = (!r.custom && docs.lists[r.kind]) || { name: listDefinition(r), description: `${r.kind}List is a list of ${r.kind}.`, properties: {} };
  const prop = (name: string, schema: Schema) => ({ ...(d.properties[name] ? { description: d.properties[name] } : {}), ...schema });
  return {
    description: d.description,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: prop('apiVersion', { type: 'string' }),
      items: prop('items', { type: 'array', items: ref(kindDefinition(r)) }),
      kind: prop('kind', { type: 'string' }),
      metadata: prop('metadata', ref(REF.listMeta)),
    },
    'x-kubernetes-group-version-kind': [gvk(r.group, r.version, `${r.kind}List`)],
  };
}

// The keywords of a custom resource's schema that Swagger 2.0 has (Kubernetes drops the others,
// such as nullable and the junctors, from the definitions it publishes).
const SWAGGER_KEYWORDS = ['description', 'type', 'format', 'required', 'enum', 'default', 'minimum', 'maximum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems'];

/** One node of a custom resource's schema as a Swagger 2.0 schema. */
function swaggerSchema(node: Schema): Schema {
  const description = node.description ? { description: node.description } : {};
  if (node['x-kubernetes-int-or-string']) return { ...description, ...ref(REF.intOrString) };
  // Fields kept whatever they hold: no type or fields to check them against, or kubectl's
  // client-side validation would refuse what the server keeps.
  if (node['x-kubernetes-preserve-unknown-fields']) return { ...description, 'x-kubernetes-preserve-unknown-fields': true };
  const out: Schema = {};
  for (const key of SWAGGER_KEYWORDS) if (node[key] !== undefined) out[key] = node[key];
  for (const key of Object.keys(node)) if (key.startsWith('x-kubernetes-list') || key === 'x-kubernetes-map-type') out[key] = node[key];
  if (node.items && typeof node.items === 'object') out.items = swaggerSchema(node.items);
  if (node.properties && typeof node.properties === 'object') out.properties = Object.fromEntries(Object.entries(node.properties as Definitions).map(([k, v]) => [k, swaggerSchema(v)]));
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = swaggerSchema(node.additionalProperties);
  return out;
}

/** A custom kind's definition: its schema, with the type and object metadata every kind has, as Kubernetes publishes it. */
function customDefinitionFor(r: ResourceType, openAPIV3Schema: Schema): Schema {
  const own = swaggerSchema(openAPIV3Schema);
  const meta = docs.definitions.Namespace.properties;
  return {
    ...own,
    type: 'object',
    properties: {
      apiVersion: { description: meta.apiVersion, type: 'string' },
      kind: { description: meta.kind, type: 'string' },
      metadata: { description: meta.metadata, ...ref(`${META}.ObjectMeta`) },
      ...Object.fromEntries(Object.entries((own.properties ?? {}) as Definitions).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata')),
    },
    'x-kubernetes-group-version-kind': [gvk(r.group, r.version, r.kind)],
  };
}

/** Every definition, by Kubernetes name, sorted as Kubernetes sorts them: the built-in kinds' and the custom kinds' served now. */
export function buildDefinitions(resources: readonly ResourceType[] = servedResources()): Definitions {
  const defs: Definitions = { ...SPECIAL, ...structuredClone(docs.extra) };
  for (const shortName of Object.keys(schemas)) defs[docsOf(shortName).name] = definitionFor(shortName);
  for (const r of resources) {
    // A built-in kind's other versions (autoscaling/v1 HPAs) are not described: the stored version is.
    if (r.storageVersion) continue;
    const name = kindDefinition(r);
    if (r.custom) {
      const openAPIV3Schema = customOpenApiSchemaFor(r);
      if (!openAPIV3Schema) continue;
      defs[name] = customDefinitionFor(r, openAPIV3Schema);
      defs[listDefinition(r)] = listDefinitionFor(r);
      continue;
    }
    if (!defs[name]) continue;
    defs[name]['x-kubernetes-group-version-kind'] = [gvk(r.group, r.version, r.kind)];
    defs[listDefinition(r)] = listDefinitionFor(r);
    annotatePatchStrategies(defs, r.kind, name, []);
  }
  for (const sub of Object.values(docs.subresourceKinds)) defs[sub.name]['x-kubernetes-group-version-kind'] = [gvk(sub.group, sub.version, sub.kind)];
  return Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]]));
}

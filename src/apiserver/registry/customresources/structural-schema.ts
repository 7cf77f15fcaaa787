// A CustomResourceDefinition version's openAPIV3Schema, checked the way apiextensions-apiserver
// requires of v1 definitions (a structural schema: every field's type given outside the logical
// junctors, no $ref, metadata constrained only in name and generateName) and compiled once into
// the tree that validation, defaulting and pruning walk.
//
// Patterns are compiled with RE2 (re2js), the engine Go's regexp implements: a pattern Kubernetes
// takes is taken here, and matching stays linear in the input, whatever a definition asks for.
import { RE2JS } from 're2js';
import type { StatusCause } from '../../../api/types.js';
import { forbidden, invalid, notSupported, required } from '../strategies/field-errors.js';

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
const TYPES: readonly SchemaType[] = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** One node of a compiled structural schema. */
export interface StructuralSchema {
  type?: SchemaType;
  nullable: boolean;
  intOrString: boolean;
  preserveUnknownFields: boolean;
  embeddedResource: boolean;
  properties?: Map<string, StructuralSchema>;
  /** A map's values (additionalProperties: true is a map of anything). */
  additionalProperties?: StructuralSchema | true;
  items?: StructuralSchema;
  /** x-kubernetes-list-type and -list-map-keys: how server-side apply merges the list. */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  /** x-kubernetes-map-type: atomic (one value to server-side apply) or granular. */
  mapType?: 'atomic' | 'granular';
  default?: unknown;
  required?: string[];
  enum?: unknown[];
  format?: string;
  pattern?: { source: string; re: RE2JS };
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  /** Value validations only: they may not add types or fields (structural rule 2). */
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
}

/** Nesting a definition may use; deeper schemas are refused rather than walked without bound. */
export const MAX_SCHEMA_DEPTH = 64;
/** Patterns longer than this are refused (RE2 stays linear, but its program grows with the text). */
const MAX_PATTERN_LENGTH = 4096;

// Fields of JSONSchemaProps that v1 definitions may not use, with Kubernetes' reasons.
const FORBIDDEN_FIELDS: Record<string, string> = {
  $ref: '$ref is not supported',
  $schema: '$schema is not supported',
  id: 'id is not supported',
  definitions: 'definitions is not supported',
  dependencies: 'dependencies is not supported',
  additionalItems: 'additionalItems is not supported',
  patternProperties: 'patternProperties is not supported',
};

// Keywords that say nothing a structural schema needs (documentation, CEL rules kept for clients).
const DOC_FIELDS = new Set(['description', 'title', 'example', 'externalDocs', 'x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type']);

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(path: string, name: string): string {
  return `${path}.${name}`;
}

interface Walk {
  causes: StatusCause[];
  /** Inside allOf/anyOf/oneOf/not, where types and fields may not be declared. */
  inJunctor: boolean;
}

/**
 * Compiles a version's openAPIV3Schema, reporting everything that keeps it from being a valid
 * structural schema as causes under `path` (`spec.versions[0].schema.openAPIV3Schema`).
 */
export function compileStructuralSchema(raw: unknown, path: string): { schema?: StructuralSchema; causes: StatusCause[] } {
  const walk: Walk = { causes: [], inJunctor: false };
  if (!isObject(raw)) return { causes: [required(path, 'schemas are required')] };
  const schema = compileNode(raw, path, walk, 0);
  if (walk.causes.length) return { causes: walk.causes };
  if (schema.type !== 'object') walk.causes.push(invalid(child(path, 'type'), schema.type ?? '', 'must be object at the root'));
  checkRootMetadata(raw, path, walk.causes);
  return walk.causes.length ? { causes: walk.causes } : { schema, causes: [] };
}

/** Compiles a schema that is not a definition's root (the server's own schemas, like ObjectMeta's). */
export function compileSchemaNode(raw: Record<string, unknown>): StructuralSchema {
  const walk: Walk = { causes: [], inJunctor: false };
  const schema = compileNode(raw, '', walk, 0);
  if (walk.causes.length) throw new Error(`invalid schema: ${JSON.stringify(walk.causes)}`);
  return schema;
}

/** At the root, metadata may only narrow name and generateName to strings (structural rule 4). */
function checkRootMetadata(raw: Raw, path: string, causes: StatusCause[]): void {
  const props = raw.properties;
  if (!isObject(props) || !isObject(props.metadata)) return;
  const meta = props.metadata;
  const at = `${path}.properties[metadata]`;
  for (const key of Object.keys(meta)) {
    if (key === 'type' || DOC_FIELDS.has(key)) continue;
    if (key === 'properties' && isObject(meta.properties)) {
      for (const [name, sub] of Object.entries(meta.properties)) {
        if (name !== 'name' && name !== 'generateName') causes.push(forbidden(`${at}.properties[${name}]`, 'must not be specified'));
        else if (!isObject(sub) || sub.type !== 'string') causes.push(forbidden(`${at}.properties[${name}].type`, 'must be string'));
      }
      continue;
    }
    causes.push(forbidden(`${at}.${key}`, 'must not be specified'));
  }
}

function compileNode(raw: Raw, path: string, walk: Walk, depth: number): StructuralSchema {
  const causes = walk.causes;
  const node: StructuralSchema = { nullable: false, intOrString: false, preserveUnknownFields: false, embeddedResource: false };
  if (depth > MAX_SCHEMA_DEPTH) {
    causes.push(forbidden(path, `must not be nested more than ${MAX_SCHEMA_DEPTH} levels deep`));
    return node;
  }
  for (const key of Object.keys(raw)) if (FORBIDDEN_FIELDS[key]) causes.push(forbidden(child(path, key), FORBIDDEN_FIELDS[key]));

  if (raw.type !== undefined) {
    if (walk.inJunctor) causes.push(forbidden(child(path, 'type'), 'must be empty to be structural'));
    else if (typeof raw.type !== 'string' || !TYPES.includes(raw.type as SchemaType)) {
      causes.push(notSupported(child(path, 'type'), raw.type, TYPES));
    } else node.type = raw.type as SchemaType;
  }
  node.nullable = raw.nullable === true;
  node.intOrString = raw['x-kubernetes-int-or-string'] === true;
  node.embeddedResource = raw['x-kubernetes-embedded-resource'] === true;
  const preserve = raw['x-kubernetes-preserve-unknown-fields'];
  if (preserve !== undefined && preserve !== true) causes.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), preserve, 'must be true or undefined'));
  node.preserveUnknownFields = preserve === true;
  if (walk.inJunctor) {
    for (const key of ['nullable', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-preserve-unknown-fields', 'default']) {
      if (raw[key] !== undefined) causes.push(forbidden(child(path, key), 'must be false to be structural'));
    }
  }
  if (node.intOrString && node.type) causes.push(invalid(child(path, 'type'), node.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (node.embeddedResource) {
    if (node.type !== 'object') causes.push(invalid(child(path, 'type'), node.type ?? '', 'must be object if x-kubernetes-embedded-resource is true'));
  }

  if (raw.properties !== undefined) {
    if (!isObject(raw.properties)) causes.push(invalid(child(path, 'properties'), raw.properties, 'must be an object'));
    else {
      if (!walk.inJunctor && node.type && node.type !== 'object') causes.push(invalid(child(path, 'type'), node.type, 'must be object if properties are specified'));
      node.properties = new Map();
      for (const [name, sub] of Object.entries(raw.properties)) {
        const at = `${path}.properties[${name}]`;
        if (!isObject(sub)) {
          causes.push(invalid(at, sub, 'must be a schema object'));
          continue;
        }
        node.properties.set(name, compileTyped(sub, at, walk, depth, 'must not be empty for specified object fields'));
      }
    }
  }
  if (raw.additionalProperties !== undefined) {
    const ap = raw.additionalProperties;
    if (node.properties) causes.push(forbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    else if (ap === true) node.additionalProperties = true;
    else if (ap === false) causes.push(forbidden(child(path, 'additionalProperties'), 'must not be false'));
    else if (isObject(ap)) node.additionalProperties = compileTyped(ap, child(path, 'additionalProperties'), walk, depth, 'must not be empty for specified map values');
    else causes.push(invalid(child(path, 'additionalProperties'), ap, 'must be a schema or true'));
    if (!walk.inJunctor && node.type && node.type !== 'object') causes.push(invalid(child(path, 'type'), node.type, 'must be object if additionalProperties is specified'));
  }
  if (raw.items !== undefined) {
    if (!isObject(raw.items)) causes.push(forbidden(child(path, 'items'), 'items must be a schema object and not an array'));
    else node.items = compileTyped(raw.items, child(path, 'items'), walk, depth, 'must not be empty for specified array items');
    if (!walk.inJunctor && node.type && node.type !== 'array') causes.push(invalid(child(path, 'type'), node.type, 'must be array if items are specified'));
  } else if (node.type === 'array' && !walk.inJunctor) {
    causes.push(required(child(path, 'items'), 'must be specified'));
  }

  compileValueValidations(raw, node, path, causes);
  compileMergeTags(raw, node, path, causes);

  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = raw[junctor];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      causes.push(invalid(child(path, junctor), list, 'must be a list of schemas'));
      continue;
    }
    // x-kubernetes-int-or-string may say which of integer and string in an anyOf, as Kubernetes allows.
    const inner: Walk = { causes, inJunctor: true };
    node[junctor] = list.map((sub, i) => {
      const at = `${path}.${junctor}[${i}]`;
      if (!isObject(sub)) {
        causes.push(invalid(at, sub, 'must be a schema object'));
        return emptyNode();
      }
      if (node.intOrString && junctor === 'anyOf' && (sub.type === 'integer' || sub.type === 'string') && Object.keys(sub).length === 1) return emptyNode();
      return compileNode(sub, at, inner, depth + 1);
    });
  }
  if (raw.not !== undefined) {
    if (!isObject(raw.not)) causes.push(invalid(child(path, 'not'), raw.not, 'must be a schema object'));
    else node.not = compileNode(raw.not, child(path, 'not'), { causes, inJunctor: true }, depth + 1);
  }
  if (raw.default !== undefined && !walk.inJunctor) node.default = raw.default;
  return node;
}

/** A schema of a field, map value or list item: it must say its type (structural rule 1). */
function compileTyped(raw: Raw, path: string, walk: Walk, depth: number, missingType: string): StructuralSchema {
  const node = compileNode(raw, path, walk, depth + 1);
  if (!walk.inJunctor && !node.type && !node.intOrString && !node.preserveUnknownFields) walk.causes.push(required(child(path, 'type'), missingType));
  return node;
}

function emptyNode(): StructuralSchema {
  return { nullable: false, intOrString: false, preserveUnknownFields: false, embeddedResource: false };
}

function compileMergeTags(raw: Raw, node: StructuralSchema, path: string, causes: StatusCause[]): void {
  const listType = raw['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (listType !== 'atomic' && listType !== 'set' && listType !== 'map') causes.push(notSupported(child(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
    else node.listType = listType;
  }
  const keys = raw['x-kubernetes-list-map-keys'];
  if (keys !== undefined) {
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) causes.push(invalid(child(path, 'x-kubernetes-list-map-keys'), keys, 'must be a list of field names'));
    else node.listMapKeys = keys as string[];
  }
  if (node.listType === 'map' && !node.listMapKeys?.length) causes.push(required(child(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
  const mapType = raw['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (mapType !== 'atomic' && mapType !== 'granular') causes.push(notSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
    else node.mapType = mapType;
  }
}

function compileValueValidations(raw: Raw, node: StructuralSchema, path: string, causes: StatusCause[]): void {
  const num = (key: string): number | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      causes.push(invalid(child(path, key), v, 'must be a number'));
      return undefined;
    }
    return v;
  };
  const count = (key: string): number | undefined => {
    const v = num(key);
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      causes.push(invalid(child(path, key), v, 'must be a non-negative integer'));
      return undefined;
    }
    return v;
  };
  node.minimum = num('minimum');
  node.maximum = num('maximum');
  node.exclusiveMinimum = raw.exclusiveMinimum === true;
  node.exclusiveMaximum = raw.exclusiveMaximum === true;
  node.multipleOf = num('multipleOf');
  if (node.multipleOf !== undefined && node.multipleOf <= 0) causes.push(invalid(child(path, 'multipleOf'), node.multipleOf, 'must be greater than zero'));
  node.minLength = count('minLength');
  node.maxLength = count('maxLength');
  node.minItems = count('minItems');
  node.maxItems = count('maxItems');
  node.minProperties = count('minProperties');
  node.maxProperties = count('maxProperties');
  node.uniqueItems = raw.uniqueItems === true;
  if (raw.enum !== undefined) {
    if (!Array.isArray(raw.enum)) causes.push(invalid(child(path, 'enum'), raw.enum, 'must be a list'));
    else node.enum = raw.enum;
  }
  if (raw.required !== undefined) {
    if (!Array.isArray(raw.required) || raw.required.some((r) => typeof r !== 'string')) causes.push(invalid(child(path, 'required'), raw.required, 'must be a list of field names'));
    else node.required = raw.required as string[];
  }
  if (raw.format !== undefined) {
    if (typeof raw.format !== 'string') causes.push(invalid(child(path, 'format'), raw.format, 'must be a string'));
    else node.format = raw.format;
  }
  if (raw.pattern !== undefined) {
    const p = raw.pattern;
    if (typeof p !== 'string') causes.push(invalid(child(path, 'pattern'), p, 'must be a string'));
    else if (p.length > MAX_PATTERN_LENGTH) causes.push(invalid(child(path, 'pattern'), `${p.slice(0, 32)}...`, `must be at most ${MAX_PATTERN_LENGTH} characters`));
    else {
      try {
        node.pattern = { source: p, re: RE2JS.compile(p) };
      } catch (err) {
        causes.push(invalid(child(path, 'pattern'), p, `must be a valid regular expression, but isn't: ${(err as Error).message}`));
      }
    }
  }
}

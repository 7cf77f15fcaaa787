// Structural validation of request bodies against the Kubernetes schemas, as `fieldValidation=Strict`
// does: wrong types, missing required fields, unsupported enum values and unknown fields, each
// reported once with its Kubernetes field path (`spec.template.spec.containers[0].image`).
//
// The validators are ajv's standalone code, generated with the schemas by
// scripts/generate-schemas.mjs, so nothing is compiled while the daemon starts or serves.
import type { KubeObject, StatusCause } from '../../api/types.js';
import { checkCustomObjectMeta } from './customresources/custom-resource-strategy.js';
import { findByKind, type ResourceType } from '../../api/resources.js';
import { conversionFor } from './version-conversion.js';
import * as generated from './schemas/validators.js';
import { definitions, resolveSchema, type Schema } from './schema-definitions.js';
import { notSupported, invalid, required, typeInvalid, unknownField } from './strategies/field-errors.js';

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}

interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

const validators = generated as unknown as Record<string, GeneratedValidator | undefined>;

/** Structural errors in `obj` as a `kind` (empty when it conforms). */
export function validateSchema(r: ResourceType, obj: unknown): StatusCause[] {
  // A custom object's schema is its definition's, applied by its strategy after pruning and defaults.
  if (r.custom) return checkCustomObjectMeta(obj as KubeObject);
  const conversion = conversionFor(r);
  if (conversion) {
    // Another version of a kind: its own fields known, then the rest checked as the stored version.
    const unknown = (conversion.unknownFields?.(obj) ?? []).map(unknownField);
    return unknown.length > 0 ? unknown : validateSchema(findByKind(r.kind)!, conversion.toStored(obj as KubeObject));
  }
  const validate = validators[r.kind];
  if (!validate) throw new Error(`no schema for ${r.kind}: run node scripts/generate-schemas.mjs`);
  const data = withoutNulls(obj);
  if (validate(data)) return [];
  const byField = new Map<string, StatusCause>();
  for (const error of validate.errors ?? []) {
    const cause = toCause(r.kind, data, error);
    // One clear cause per field: the first, which ajv reports for the outermost problem.
    if (cause && !byField.has(cause.field!)) byField.set(cause.field!, cause);
  }
  return [...byField.values()];
}

/**
 * Kubernetes decodes `null` as "not set", which is what manifests mean by it (kubectl itself writes
 * `creationTimestamp: null`); only object members are dropped, as a null list item is still wrong.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

function toCause(kind: string, data: unknown, error: SchemaError): StatusCause | undefined {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  const field = fieldPath(kind, segments);
  const value = valueAt(data, segments);
  switch (error.keyword) {
    case 'required':
      return required(child(field, error.params.missingProperty));
    case 'additionalProperties':
      return unknownField(child(field, error.params.additionalProperty));
    case 'type':
      return typeInvalid(field, value, `must be ${[error.params.type].flat().join(' or ')}`);
    case 'enum':
      // An empty string means "not set" to Kubernetes, which defaults it; defaulting runs later.
      return value === '' ? undefined : notSupported(field, value, error.params.allowedValues);
    case 'const':
      return notSupported(field, value, [error.params.allowedValue]);
    case 'pattern':
      return invalid(field, value, `must match the regular expression '${error.params.pattern}'`);
    default:
      return invalid(field, value, error.message);
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function child(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/**
 * Kubernetes' notation for a location: `.field` for a schema property, `[i]` for a list index and
 * `[key]` for a map key (`metadata.labels[app]`). Which is which comes from the schema.
 */
function fieldPath(kind: string, segments: string[]): string {
  let path = '';
  let schema: Schema | undefined = definitions[kind];
  for (const segment of segments) {
    schema = resolve(schema);
    if (schema?.properties && Object.prototype.hasOwnProperty.call(schema.properties, segment)) {
      path = child(path, segment);
      schema = schema.properties[segment];
    } else {
      path += `[${segment}]`;
      const next: Schema | boolean | undefined = schema?.items ?? schema?.additionalProperties;
      schema = typeof next === 'object' ? next : undefined;
    }
  }
  return path;
}

function resolve(schema: Schema | undefined): Schema | undefined {
  return resolveSchema(schema).schema;
}

function valueAt(data: unknown, segments: string[]): unknown {
  let value = data;
  for (const segment of segments) value = (value as Record<string, unknown> | undefined)?.[segment];
  return value;
}

// What a structural schema does to a custom object, in apiextensions-apiserver's order: unknown
// fields pruned, defaults applied, then the value validated, each error worded as Kubernetes
// words it (`spec.replicas: Invalid value: "string": spec.replicas in body must be of type
// integer: "string"`). Walks are bounded by the schema's depth, which compilation limits.
import { isDeepStrictEqual } from 'node:util';
import type { StatusCause } from '../../../api/types.js';
import { duplicate, invalid, notSupported, required, typeInvalid } from '../strategies/field-errors.js';
import type { StructuralSchema } from './structural-schema.js';

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fields kept at the root of every object and of every embedded resource. */
const TYPE_META = ['apiVersion', 'kind', 'metadata'];

/**
 * Drops the fields the schema does not specify (unless it preserves unknown fields there). At the
 * root and in embedded resources, apiVersion, kind and metadata are always kept.
 */
export function prune(schema: StructuralSchema, value: unknown, root = true): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) prune(schema.items, item, false);
    return;
  }
  if (!isObject(value)) return;
  const keepMeta = root || schema.embeddedResource;
  if (schema.properties) {
    for (const key of Object.keys(value)) {
      const sub = schema.properties.get(key);
      if (sub) prune(sub, value[key], false);
      else if (!schema.preserveUnknownFields && !(keepMeta && TYPE_META.includes(key))) delete value[key];
    }
  } else if (schema.additionalProperties && schema.additionalProperties !== true) {
    for (const key of Object.keys(value)) if (!(keepMeta && TYPE_META.includes(key))) prune(schema.additionalProperties, value[key], false);
  } else if (!schema.preserveUnknownFields && !schema.additionalProperties) {
    for (const key of Object.keys(value)) if (!(keepMeta && TYPE_META.includes(key))) delete value[key];
  }
}

/** Sets each absent (or, where null is not allowed, null) field that has a default, then defaults inside it. */
export function applyDefaults(schema: StructuralSchema, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  if (schema.properties) {
    for (const [key, sub] of schema.properties) {
      const missing = !(key in value) || (value[key] === null && !sub.nullable);
      if (missing && sub.default !== undefined) value[key] = structuredClone(sub.default);
      if (key in value) applyDefaults(sub, value[key]);
    }
  } else if (schema.additionalProperties && schema.additionalProperties !== true) {
    for (const key of Object.keys(value)) applyDefaults(schema.additionalProperties, value[key]);
  }
}

/** The JSON type of a value as kube-openapi names it in its messages. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeName(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(s),
  ipv4: (s) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s),
  hostname: (s) => s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
};

function member(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function inBody(path: string): string {
  return `${path || 'body'} in body`;
}

/** Every way `value` breaks `schema`, with Kubernetes' field paths (`spec.items[0].name`). */
export function validateValue(schema: StructuralSchema, value: unknown, path = ''): StatusCause[] {
  const causes: StatusCause[] = [];
  check(schema, value, path, causes);
  return causes;
}

function check(schema: StructuralSchema, value: unknown, path: string, causes: StatusCause[]): void {
  if (value === null) {
    if (!schema.nullable && (schema.type || schema.intOrString)) causes.push(typeInvalid(path, 'null', `${inBody(path)} must be of type ${schema.type ?? 'integer,string'}: "null"`));
    return;
  }
  if (schema.intOrString) {
    if (!hasType(value, 'integer') && !hasType(value, 'string')) {
      causes.push(typeInvalid(path, typeName(value), `${inBody(path)} must be of type integer,string: ${JSON.stringify(typeName(value))}`));
      return;
    }
  } else if (schema.type && !hasType(value, schema.type)) {
    causes.push(typeInvalid(path, typeName(value), `${inBody(path)} must be of type ${schema.type}: ${JSON.stringify(typeName(value))}`));
    return;
  }
  checkValue(schema, value, path, causes);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => check(schema.items!, item, `${path}[${i}]`, causes));
  } else if (isObject(value)) {
    for (const name of schema.required ?? []) if (!(name in value) || value[name] === undefined) causes.push(required(member(path, name)));
    if (schema.properties) {
      for (const [name, sub] of schema.properties) if (name in value) check(sub, value[name], member(path, name), causes);
    } else if (schema.additionalProperties && schema.additionalProperties !== true) {
      for (const key of Object.keys(value)) check(schema.additionalProperties, value[key], member(path, key), causes);
    }
    if (schema.embeddedResource) {
      for (const name of ['apiVersion', 'kind']) if (typeof value[name] !== 'string' || !value[name]) causes.push(required(member(path, name), 'must not be empty'));
    }
  }
  checkJunctors(schema, value, path, causes);
}

function checkValue(schema: StructuralSchema, value: unknown, path: string, causes: StatusCause[]): void {
  if (schema.enum && !schema.enum.some((e) => isDeepStrictEqual(e, value))) {
    causes.push(notSupported(path, value, schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof value === 'number') {
    const { minimum, maximum, multipleOf } = schema;
    if (minimum !== undefined && (schema.exclusiveMinimum ? value <= minimum : value < minimum)) {
      causes.push(invalid(path, value, `${inBody(path)} should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${minimum}`));
    }
    if (maximum !== undefined && (schema.exclusiveMaximum ? value >= maximum : value > maximum)) {
      causes.push(invalid(path, value, `${inBody(path)} should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${maximum}`));
    }
    if (multipleOf !== undefined && multipleOf > 0 && !Number.isInteger(value / multipleOf)) causes.push(invalid(path, value, `${inBody(path)} should be a multiple of ${multipleOf}`));
  }
  if (typeof value === 'string') {
    // Lengths count characters (runes), as Go's validation does.
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) causes.push({ field: path, reason: 'FieldValueTooLong', message: `Too long: may not be more than ${schema.maxLength} bytes` });
    if (schema.minLength !== undefined && length < schema.minLength) causes.push(invalid(path, value, `${inBody(path)} should be at least ${schema.minLength} chars long`));
    if (schema.pattern && !schema.pattern.re.matcher(value).find()) causes.push(invalid(path, value, `${inBody(path)} should match '${schema.pattern.source}'`));
    const format = schema.format && FORMATS[schema.format];
    if (format && !format(value)) causes.push(invalid(path, value, `${inBody(path)} must be of type ${schema.format}: ${JSON.stringify(value)}`));
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) causes.push({ field: path, reason: 'FieldValueTooMany', message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    if (schema.minItems !== undefined && value.length < schema.minItems) causes.push(invalid(path, value.length, `${inBody(path)} should have at least ${schema.minItems} items`));
    if (schema.uniqueItems) {
      const seen: unknown[] = [];
      for (const item of value) {
        if (seen.some((s) => isDeepStrictEqual(s, item))) {
          causes.push(duplicate(path, item));
          break;
        }
        seen.push(item);
      }
    }
  }
  if (isObject(value)) {
    const n = Object.keys(value).length;
    if (schema.maxProperties !== undefined && n > schema.maxProperties) causes.push({ field: path, reason: 'FieldValueTooMany', message: `Too many: ${n}: must have at most ${schema.maxProperties} items` });
    if (schema.minProperties !== undefined && n < schema.minProperties) causes.push(invalid(path, n, `${inBody(path)} should have at least ${schema.minProperties} properties`));
  }
}

function checkJunctors(schema: StructuralSchema, value: unknown, path: string, causes: StatusCause[]): void {
  for (const sub of schema.allOf ?? []) check(sub, value, path, causes);
  if (schema.anyOf?.length && !schema.anyOf.some((sub) => validateValue(sub, value, path).length === 0)) {
    causes.push(invalid(path, value, `${inBody(path)} must validate at least one schema (anyOf)`));
  }
  if (schema.oneOf?.length) {
    const passing = schema.oneOf.filter((sub) => validateValue(sub, value, path).length === 0).length;
    if (passing !== 1) causes.push(invalid(path, value, `${inBody(path)} must validate one and only one schema (oneOf)`));
  }
  if (schema.not && validateValue(schema.not, value, path).length === 0) causes.push(invalid(path, value, `${inBody(path)} must not validate the schema (not)`));
}

// What `kubectl explain` (1.32, OpenAPI v3, plaintext) prints: a port of its plaintext template.
// The document is the group-version's OpenAPI v3 document; the kind is found through the
// resource's paths, its schema through x-kubernetes-group-version-kind, then the field path is
// followed through $ref, items, additionalProperties and allOf.
import { indent, wrapString } from './word-wrap.js';

type Schema = Record<string, any>;

export interface ExplainRequest {
  document: Schema;
  group: string;
  version: string;
  resource: string;
  fieldPath: string[];
  recursive: boolean;
}

export class ExplainError extends Error {
  /** What kubectl's template had written before it failed (it prints that first). */
  constructor(
    message: string,
    readonly printed = '',
  ) {
    super(message);
  }
}

function resolveRef(ref: string | undefined, doc: Schema): Schema | undefined {
  if (!ref) return undefined;
  const name = ref.split('/').pop()!;
  return doc.components?.schemas?.[name];
}

function isObjectSchema(v: unknown): v is Schema {
  return !!v && typeof v === 'object' && typeof v !== 'boolean';
}

function typeGuess(schema: Schema, doc: Schema): string {
  if (schema.items) return `[]${typeGuess(schema.items, doc)}`;
  if (isObjectSchema(schema.additionalProperties)) return `map[string]${typeGuess(schema.additionalProperties, doc)}`;
  if (schema.allOf && !schema.properties && schema.allOf.length === 1) return typeGuess(schema.allOf[0], doc);
  if (schema.$ref) {
    const ref = resolveRef(schema.$ref, doc);
    if (!ref || !ref.type || ref.type === 'object') return schema.$ref.split('/').pop().split('.').pop() || 'Object';
    return ref.type;
  }
  return schema.type === 'object' ? 'Object' : schema.type || 'Object';
}

function extractEnum(schema: Schema, longView: boolean, limit: number, indentAmount = 0): string {
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) return '';
  let out = longView ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `;
  for (const [i, e] of schema.enum.entries()) {
    if (limit > -1 && i >= limit) {
      out += ', ....';
      break;
    }
    if (i > 0 && !longView) out += ', ';
    else if (longView) out += '\n    ';
    out += e === '' ? '""' : String(e);
  }
  return out;
}

function description(schema: Schema, doc: Schema): string {
  const s = resolveRef(schema.$ref, doc) ?? schema;
  let out = s.description ? `${s.description}\n` : '';
  for (const sub of s.allOf ?? []) out += description(sub, doc);
  if (s.items) out += description(s.items, doc);
  if (isObjectSchema(s.additionalProperties)) out += description(s.additionalProperties, doc);
  return out;
}

function externalDocs(schema: Schema): string {
  const ext = schema.externalDocs;
  if (!ext) return '';
  let out = 'EXTERNAL DOCS:\n';
  if (ext.description) out += `${indent(wrapString(ext.description, 76), 4)}\n`;
  if (ext.url) out += `${indent(`URL: ${ext.url}`, 4)}\n`;
  return out;
}

function fieldDetail(name: string, parent: Schema, short: boolean, level: number, doc: Schema): string {
  const ia = level * 2;
  const field = parent.properties[name];
  let out = `${indent(name, ia)}\t<${typeGuess(field, doc)}>`;
  if ((parent.required ?? []).includes(name)) out += ' -required-';
  out += `${extractEnum(field, false, 4, ia)}\n`;
  if (!short) {
    out += `${indent(wrapString(field.description || '<no description>', 78 - ia), ia + 2)}\n`;
    if (field.externalDocs) {
      out += `\n${indent('EXTERNAL DOCS:', ia + 2)}\n`;
      if (field.externalDocs.description) out += `${indent(wrapString(field.externalDocs.description, 76 - ia), ia + 4)}\n`;
      if (field.externalDocs.url) out += `${indent(`URL: ${field.externalDocs.url}`, ia + 4)}\n`;
    }
    out += '\n';
  }
  return out;
}

function fieldList(schema: Schema, level: number, history: Set<string>, recursive: boolean, doc: Schema): string {
  const ref = schema.$ref ?? '';
  if (ref && history.has(ref)) return '';
  const next = new Set(history).add(ref);
  const resolved = resolveRef(ref, doc) ?? schema;
  let out = '';
  for (const name of Object.keys(resolved.properties ?? {}).sort()) {
    out += fieldDetail(name, resolved, recursive, level, doc);
    if (recursive) out += fieldList(resolved.properties[name], level + 1, next, recursive, doc);
  }
  for (const sub of resolved.allOf ?? []) out += fieldList(sub, level, next, recursive, doc);
  if (resolved.items) out += fieldList(resolved.items, level, next, recursive, doc);
  if (isObjectSchema(resolved.additionalProperties)) out += fieldList(resolved.additionalProperties, level, next, recursive, doc);
  return out;
}

function output(schema: Schema, history: Set<string>, path: string[], recursive: boolean, doc: Schema): string {
  const ref = schema.$ref ?? '';
  const next = new Set(history).add(ref);
  const resolved = resolveRef(ref, doc) ?? schema;
  if (path.length === 0) {
    let out = `DESCRIPTION:\n${indent(wrapString(description(resolved, doc) || '<empty>', 76), 4)}\n`;
    const ext = externalDocs(resolved);
    if (ext) out += `\n${ext}`;
    const fields = fieldList(resolved, 1, new Set(), recursive, doc);
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (ref && history.has(ref)) return '';
  const sub = resolved.properties?.[path[0]];
  if (sub) {
    let out = '';
    if (path.length === 1) out += `FIELD: ${path[0]} <${typeGuess(sub, doc)}>\n${extractEnum(sub, true, -1)}\n\n`;
    return out + output(sub, new Set(), path.slice(1), recursive, doc);
  }
  if (resolved.items) return output(resolved.items, next, path, recursive, doc);
  if (isObjectSchema(resolved.additionalProperties)) return output(resolved.additionalProperties, next, path, recursive, doc);
  for (const alt of resolved.allOf ?? []) {
    const out = output(alt, next, path, recursive, doc);
    if (out) return out;
  }
  return '';
}

function sameGvk(a: Schema, b: Schema): boolean {
  return (a.group ?? '') === (b.group ?? '') && a.version === b.version && a.kind === b.kind;
}

export function explain(req: ExplainRequest): string {
  const doc = req.document;
  const prefix = req.group ? `/apis/${req.group}` : '/api';
  const base = `${prefix}/${req.version}`;
  const searchPaths = [
    `${base}/${req.resource}`,
    `${base}/${req.resource}/{name}`,
    `${base}/namespaces/{namespace}/${req.resource}`,
    `${base}/namespaces/{namespace}/${req.resource}/{name}`,
  ];
  let gvk: Schema | undefined;
  search: for (const p of searchPaths) {
    const element = doc.paths?.[p];
    if (!element) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const found = element[method]?.['x-kubernetes-group-version-kind'];
      if (found) {
        gvk = found;
        break search;
      }
    }
  }
  const gvr = `${req.group ? `${req.group}/` : '/'}${req.version}, Resource=${req.resource}`;
  if (!gvk) throw new ExplainError(`GVR (${gvr}) not found in OpenAPI schema`);
  let out = gvk.group ? `GROUP:      ${gvk.group}\n` : '';
  out += `KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`;
  const schema = Object.values(doc.components?.schemas ?? {}).find((s: any) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: Schema) => sameGvk(g, gvk!)));
  if (!schema) throw new ExplainError(`GVK ${gvk.group ?? ''}/${gvk.version}, Kind=${gvk.kind} not found in OpenAPI schema`, out);
  const body = output(schema as Schema, new Set(), req.fieldPath, req.recursive, doc);
  if (!body) throw new ExplainError(`field "${req.fieldPath[req.fieldPath.length - 1]}" does not exist`, out);
  return `${out}${body}\n`;
}

// Objects read through their schema, as structured-merge-diff's typed values: which paths an object
// sets (toFieldSet), what changed between two versions (compare), an applied configuration merged
// into a live object (merge), and paths taken out (removeItems). Struct fields, granular and
// atomic maps, and atomic, set and map lists follow ./type-tags.ts.
import { isDeepStrictEqual } from 'node:util';
import schemaDocument from '../schemas/kubernetes.json' with { type: 'json' };
import { FieldSet } from '../../../api/managed-fields/field-set.js';
import { pathToString, serializeElement, type PathElement, type Scalar } from '../../../api/managed-fields/path.js';
import { isAtomicMap, isAtomicStruct, KEY_DEFAULTS, listTag, type ListTag } from './type-tags.js';

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
}

export type TypeNode =
  | { readonly t: 'scalar' }
  /** No schema (an unknown field, an opaque value): maps granular, lists atomic, as structured-merge-diff deduces. */
  | { readonly t: 'untyped' }
  | { readonly t: 'struct'; readonly name: string; readonly atomic: boolean; field(name: string): TypeNode }
  | { readonly t: 'map'; readonly atomic: boolean; readonly elem: TypeNode }
  | { readonly t: 'list'; readonly tag?: ListTag; readonly elem: TypeNode };

const definitions = (schemaDocument as unknown as { definitions: Record<string, Schema> }).definitions;
const SCALAR: TypeNode = { t: 'scalar' };
const UNTYPED: TypeNode = { t: 'untyped' };
const byDefinition = new Map<string, TypeNode>();

/** The type of a kind's objects, or undefined for a kind without a schema. */
export function typeOfKind(kind: string): TypeNode | undefined {
  return definitions[kind] ? definitionType(kind) : undefined;
}

function definitionType(name: string): TypeNode {
  let t = byDefinition.get(name);
  if (!t) {
    t = fromSchema(definitions[name] ?? {}, name, '', name);
    byDefinition.set(name, t);
  }
  return t;
}

/** `owner` and `property` name where the schema sits, for the tags of type-tags.ts. */
function fromSchema(s: Schema, owner: string, property: string, structName: string): TypeNode {
  if (s.$ref) return definitionType(s.$ref.replace('#/definitions/', ''));
  if (Array.isArray(s.type) || (s.type && s.type !== 'object' && s.type !== 'array')) return SCALAR;
  if (s.type === 'array') return { t: 'list', tag: listTag(owner, property), elem: s.items ? fromSchema(s.items, owner, property, `${owner}.${property}`) : UNTYPED };
  if (s.properties) {
    const props = s.properties;
    const fields = new Map<string, TypeNode>();
    return {
      t: 'struct',
      name: structName,
      atomic: isAtomicStruct(structName),
      field(name: string): TypeNode {
        let f = fields.get(name);
        if (!f) {
          f = props[name] ? fromSchema(props[name], structName, name, `${structName}.${name}`) : UNTYPED;
          fields.set(name, f);
        }
        return f;
      },
    };
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    return { t: 'map', atomic: isAtomicMap(owner, property), elem: fromSchema(s.additionalProperties, owner, property, `${owner}.${property}`) };
  }
  return s.type === 'object' ? UNTYPED : SCALAR;
}

/** A structural problem merge semantics cannot get past, such as a list item without its key. */
export class FieldPathError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function childType(t: TypeNode, name: string): TypeNode {
  if (t.t === 'struct') return t.field(name);
  if (t.t === 'map') return t.elem;
  return UNTYPED;
}

/** Whether the node is owned and compared as one value rather than field by field. */
function isLeaf(t: TypeNode, v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  switch (t.t) {
    case 'scalar':
      return true;
    case 'untyped':
      return Array.isArray(v);
    case 'list':
      return !t.tag || !Array.isArray(v);
    case 'struct':
    case 'map':
      return t.atomic || Array.isArray(v);
  }
}

/** The path element naming `item`, the `index`th item of a list of type `t`. */
export function itemElement(t: Extract<TypeNode, { t: 'list' }>, item: unknown, index: number, where: Where): PathElement {
  if (t.tag?.type === 'set') return { value: item };
  if (t.tag?.type === 'map') {
    if (!isObject(item)) throw new FieldPathError(`${where()}: element ${index}: associative list with keys may only contain objects`);
    const key: Array<[string, Scalar]> = [];
    for (const k of [...t.tag.keys].sort()) {
      const v = item[k] ?? KEY_DEFAULTS[k];
      if (v === undefined) throw new FieldPathError(`${where()}: element ${index}: associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`);
      if (v !== null && typeof v === 'object') throw new FieldPathError(`${where()}: element ${index}: key field "${k}" must be a scalar`);
      key.push([k, v as Scalar]);
    }
    return { key };
  }
  return { index };
}

function itemsById(t: Extract<TypeNode, { t: 'list' }>, list: unknown[], where: Where): Map<string, [PathElement, unknown]> {
  const out = new Map<string, [PathElement, unknown]>();
  list.forEach((item, i) => {
    const pe = itemElement(t, item, i, where);
    out.set(serializeElement(pe), [pe, item]);
  });
  return out;
}

/** Where a node is, rendered only for an error message. */
type Where = () => string;
const ROOT: Where = () => '';
const below = (where: Where, pe: PathElement): Where => () => where() + pathToString([pe]);

/** The paths `v` sets: every leaf, every list item, and map entries (structured-merge-diff's ToFieldSet). */
export function toFieldSet(t: TypeNode, v: unknown): FieldSet {
  const set = new FieldSet();
  collect(t, v, set, ROOT);
  return set;
}

function collect(t: TypeNode, v: unknown, set: FieldSet, where: Where): void {
  if (t.t === 'list') {
    if (!Array.isArray(v)) return;
    (v as unknown[]).forEach((item, i) => {
      const pe = itemElement(t, item, i, where);
      set.addMember(pe);
      if (!isLeaf(t.elem, item) && !(isObject(item) && Object.keys(item).length === 0)) collect(t.elem, item, set.child(pe), below(where, pe));
    });
    return;
  }
  if (!isObject(v)) return;
  const granularMap = t.t !== 'struct';
  for (const [k, val] of Object.entries(v)) {
    const pe: PathElement = { field: k };
    const ct = childType(t, k);
    if (isLeaf(ct, val) || (isObject(val) && Object.keys(val).length === 0)) set.addMember(pe);
    else {
      collect(ct, val, set.child(pe), below(where, pe));
      if (granularMap) set.addMember(pe);
    }
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed from `lhs` to `rhs`, path by path; a map or list appearing or going is itself added or removed. */
export function compare(t: TypeNode, lhs: unknown, rhs: unknown): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareChildren(t, lhs, rhs, () => c, ROOT);
  return c;
}

/** The comparison's sets at one node, made only when something changed there (most nodes did not). */
type Cursor = () => Comparison;

function childCursor(parent: Cursor, pe: PathElement): Cursor {
  let c: Comparison | undefined;
  return () => {
    if (!c) {
      const p = parent();
      c = { added: p.added.child(pe), modified: p.modified.child(pe), removed: p.removed.child(pe) };
    }
    return c;
  };
}

function isEmptyContainer(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);
}

/**
 * One node of a comparison, as structured-merge-diff's compare walker: a value compared whole (a
 * leaf, or a map or list empty on both sides) is added, removed or modified; otherwise its members
 * are compared, and the node itself is added or removed only when absent on one side (null or
 * empty counts as present).
 */
function compareAt(t: TypeNode, l: unknown, r: unknown, c: Cursor, pe: PathElement, where: Where): void {
  if (l === undefined && r === undefined) return;
  const leaf = (v: unknown) => v !== undefined && v !== null && isLeaf(t, v);
  const scalarType = t.t === 'scalar' || (t.t === 'list' && !t.tag) || ((t.t === 'struct' || t.t === 'map') && t.atomic);
  if (scalarType || leaf(l) || leaf(r) || (isEmptyContainer(l) && isEmptyContainer(r)) || (t.t === 'untyped' && (l === null || r === null))) {
    if (l === undefined) c().added.addMember(pe);
    else if (r === undefined) c().removed.addMember(pe);
    else if (l !== r && !isDeepStrictEqual(l, r)) c().modified.addMember(pe);
    return;
  }
  if (l === undefined) c().added.addMember(pe);
  if (r === undefined) c().removed.addMember(pe);
  compareChildren(t, l, r, childCursor(c, pe), below(where, pe));
}

function compareChildren(t: TypeNode, l: unknown, r: unknown, c: Cursor, where: Where): void {
  if (t.t === 'list') {
    const left = Array.isArray(l) ? itemsById(t, l, where) : new Map<string, [PathElement, unknown]>();
    const right = Array.isArray(r) ? itemsById(t, r, where) : new Map<string, [PathElement, unknown]>();
    for (const [id, [pe, item]] of left) compareAt(t.elem, item, right.get(id)?.[1], c, pe, where);
    for (const [id, [pe, item]] of right) if (!left.has(id)) compareAt(t.elem, undefined, item, c, pe, where);
    return;
  }
  const lo = isObject(l) ? l : {};
  const ro = isObject(r) ? r : {};
  for (const k of Object.keys(lo)) compareAt(childType(t, k), lo[k], ro[k], c, { field: k }, where);
  for (const k of Object.keys(ro)) if (!(k in lo)) compareAt(childType(t, k), undefined, ro[k], c, { field: k }, where);
}

/** A copy of a JSON value (scalars as they are: most merged values are). */
export function copyJSON<T>(v: T): T {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as T) : v;
}

/** `rhs` (an applied configuration) merged into `lhs`: maps and keyed lists field by field, the rest replaced. */
export function merge(t: TypeNode, lhs: unknown, rhs: unknown, where: Where = ROOT): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null || rhs === null || isLeaf(t, rhs) || isLeaf(t, lhs)) return copyJSON(rhs);
  if (t.t === 'list') {
    const right = itemsById(t, rhs as unknown[], where);
    const seen = new Set<string>();
    const out = (lhs as unknown[]).map((item, i) => {
      const pe = itemElement(t, item, i, where);
      const id = serializeElement(pe);
      seen.add(id);
      const r = right.get(id);
      return r ? merge(t.elem, item, r[1], below(where, pe)) : item;
    });
    for (const [id, [, item]] of right) if (!seen.has(id)) out.push(copyJSON(item));
    return out;
  }
  const out: Record<string, unknown> = { ...(lhs as Record<string, unknown>) };
  for (const [k, v] of Object.entries(rhs as Record<string, unknown>)) out[k] = merge(childType(t, k), out[k], v, below(where, { field: k }));
  return out;
}

/** `v` without the members of `set` (each with all below it). Changes `v` in place and returns it. */
export function removeItems(t: TypeNode, v: unknown, set: FieldSet, where: Where = ROOT): unknown {
  if (t.t === 'list') {
    if (!Array.isArray(v) || !t.tag) return v;
    const kept: unknown[] = [];
    v.forEach((item, i) => {
      const pe = itemElement(t, item, i, where);
      const id = serializeElement(pe);
      if (set.hasMemberId(id)) return;
      const sub = set.childById(id);
      kept.push(sub && !isLeaf(t.elem, item) ? removeItems(t.elem, item, sub, below(where, pe)) : item);
    });
    return kept;
  }
  if (!isObject(v)) return v;
  for (const k of Object.keys(v)) {
    const id = `f:${k}`;
    if (set.hasMemberId(id)) delete v[k];
    else {
      const sub = set.childById(id);
      const ct = childType(t, k);
      if (sub && !isLeaf(ct, v[k])) v[k] = removeItems(ct, v[k], sub, below(where, { field: k }));
    }
  }
  return v;
}

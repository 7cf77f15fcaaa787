// Kubernetes' protobuf messages <-> their JSON form, driven by the field tables that
// scripts/generate-protobuf.mjs derives from kubectl's own message definitions (messages.json).
//
// The JSON side follows Kubernetes' conventions, which the proto definitions do not say:
// - fields are named as in JSON (go-to-protobuf names them after the json tag), except embedded
//   structs that JSON inlines (Volume's volumeSource): their fields are the parent's in JSON;
// - a Go value field (not a pointer) is always on the wire, so its zero value means "unset" and is
//   left out of the JSON, as omitempty does; a pointer field on the wire is kept even when zero
//   (`replicas: 0`, `maxUnavailable: 0`); a struct value is kept even when empty (`status: {}`);
// - some apimachinery messages stand for JSON scalars: Quantity (a string), IntOrString (a number
//   or a string), Time and MicroTime (RFC 3339 timestamps, zero meaning null), Duration (Go's
//   duration text, nanoseconds on the wire), RawExtension and
//   FieldsV1 (embedded JSON), and one-field wrappers like Verbs (a list); `bytes` are base64 in
//   JSON, maps are repeated key/value entries.
import protobuf from 'protobufjs/minimal.js';
import tables from './messages.json' with { type: 'json' };
import { formatGoDuration, parseGoDuration } from '../go-duration.js';

type Reader = protobuf.Reader;
type Writer = protobuf.Writer;
type Json = any;

const FLAG_REPEATED = 1;
const FLAG_MAP = 2;
const FLAG_VALUE = 4;
const FLAG_INLINE = 8;

interface Field {
  num: number;
  name: string;
  type: string;
  repeated: boolean;
  map: boolean;
  /** A Go value rather than a pointer: its zero value is not distinguishable from unset. */
  value: boolean;
  /** An embedded struct whose fields JSON puts in the parent. */
  inline: boolean;
  keyType: string;
}

interface Message {
  name: string;
  fields: Field[];
  byNum: Map<number, Field>;
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
const DURATION = `${META}.Duration`;
const FIELDS_V1 = `${META}.FieldsV1`;
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';

const messageRows = tables.messages as unknown as Record<string, [number, string, string, number, string?][]>;
const compiled = new Map<string, Message>();

const messageNames = new Set(Object.keys(messageRows));

export function isMessage(type: string): boolean {
  return messageNames.has(type);
}

function message(name: string): Message {
  let m = compiled.get(name);
  if (m) return m;
  const rows = messageRows[name];
  if (!rows) throw new Error(`no protobuf message ${name}`);
  const fields = rows.map(([num, fieldName, type, flags, keyType]) => ({
    num,
    name: fieldName,
    type,
    repeated: (flags & FLAG_REPEATED) !== 0,
    map: (flags & FLAG_MAP) !== 0,
    value: (flags & FLAG_VALUE) !== 0,
    inline: (flags & FLAG_INLINE) !== 0,
    keyType: keyType ?? '',
  }));
  m = { name, fields, byNum: new Map(fields.map((f) => [f.num, f])) };
  compiled.set(name, m);
  return m;
}

const listWrappers = new Set(tables.lists);

/** Go slice types, wrapped in a message of one repeated `items` field (Verbs, ExtraValue): lists in JSON. */
function isListWrapper(name: string): boolean {
  return listWrappers.has(name);
}

// ---- scalars ----

const WIRE_TYPES = new Map<string, number>([
  ...['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool'].map((t): [string, number] => [t, 0]),
  ...['fixed64', 'sfixed64', 'double'].map((t): [string, number] => [t, 1]),
  ...['fixed32', 'sfixed32', 'float'].map((t): [string, number] => [t, 5]),
]);

/** A type's wire type: varint, 64-bit, 32-bit, or length-delimited (strings, bytes, messages). */
function wireType(type: string): number {
  return WIRE_TYPES.get(type) ?? 2;
}

/** int64s arrive as Long; Kubernetes' fit in a double (JSON numbers are doubles to every client too). */
function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}

function readScalar(r: Reader, type: string): Json {
  switch (type) {
    case 'string':
      return r.string();
    case 'bool':
      return r.bool();
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'sint32':
      return r.sint32();
    case 'fixed32':
      return r.fixed32();
    case 'sfixed32':
      return r.sfixed32();
    case 'int64':
      return toNumber(r.int64());
    case 'uint64':
      return toNumber(r.uint64());
    case 'sint64':
      return toNumber(r.sint64());
    case 'fixed64':
      return toNumber(r.fixed64());
    case 'sfixed64':
      return toNumber(r.sfixed64());
    case 'double':
      return r.double();
    case 'float':
      return r.float();
  }
  throw new Error(`unknown scalar type ${type}`);
}

function writeScalar(w: Writer, type: string, v: Json): void {
  switch (type) {
    case 'string':
      w.string(String(v));
      return;
    case 'bool':
      w.bool(Boolean(v));
      return;
    case 'bytes':
      w.bytes(Buffer.from(String(v), 'base64'));
      return;
    case 'int32':
      w.int32(Number(v));
      return;
    case 'uint32':
      w.uint32(Number(v));
      return;
    case 'sint32':
      w.sint32(Number(v));
      return;
    case 'fixed32':
      w.fixed32(Number(v));
      return;
    case 'sfixed32':
      w.sfixed32(Number(v));
      return;
    case 'int64':
      w.int64(Number(v));
      return;
    case 'uint64':
      w.uint64(Number(v));
      return;
    case 'sint64':
      w.sint64(Number(v));
      return;
    case 'fixed64':
      w.fixed64(Number(v));
      return;
    case 'sfixed64':
      w.sfixed64(Number(v));
      return;
    case 'double':
      w.double(Number(v));
      return;
    case 'float':
      w.float(Number(v));
      return;
  }
  throw new Error(`unknown scalar type ${type}`);
}

function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false || v === undefined;
}

// ---- the messages that stand for JSON scalars ----

/** Fields of a message read as raw numbers/strings, for the special messages. */
function readRawFields(r: Reader, end: number): Map<number, Json> {
  const out = new Map<number, Json>();
  while (r.pos < end) {
    const key = r.uint32();
    const num = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.set(num, r.int64());
    else if (wire === 2) out.set(num, r.bytes());
    else r.skipType(wire);
  }
  return out;
}

function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString(); // 2024-01-02T03:04:05.000Z
  const base = iso.slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

function parseTime(text: string, micro: boolean): { seconds: number; nanos: number } {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`invalid time ${JSON.stringify(text)}`);
  const nanos = micro ? Number((/\.(\d+)/.exec(text)?.[1] ?? '').padEnd(6, '0').slice(0, 6)) * 1000 : 0;
  return { seconds: Math.floor(ms / 1000), nanos };
}

function text(b: Uint8Array | undefined): string {
  return b ? Buffer.from(b).toString('utf8') : '';
}

/** A special message's JSON value; undefined when it stands for null (a zero time, no raw data). */
function decodeSpecial(type: string, r: Reader, end: number): Json {
  const f = readRawFields(r, end);
  switch (type) {
    case TIME:
    case MICRO_TIME: {
      const seconds = toNumber(f.get(1) ?? 0);
      const nanos = toNumber(f.get(2) ?? 0);
      if (seconds === 0 && nanos === 0) return undefined;
      return rfc3339(seconds, nanos, type === MICRO_TIME);
    }
    case DURATION:
      return formatGoDuration(toNumber(f.get(1) ?? 0));
    case QUANTITY:
      return text(f.get(1)) || '0';
    case INT_OR_STRING:
      return toNumber(f.get(1) ?? 0) === 1 ? text(f.get(3)) : toNumber(f.get(2) ?? 0) | 0;
    case RAW_EXTENSION:
    case FIELDS_V1: {
      const raw = f.get(1) as Uint8Array | undefined;
      if (!raw || raw.length === 0) return undefined;
      return rawExtensionValue(raw);
    }
  }
  throw new Error(`${type} is not a special message`);
}

const SPECIAL = new Set([TIME, MICRO_TIME, DURATION, QUANTITY, INT_OR_STRING, RAW_EXTENSION, FIELDS_V1]);

/** RawExtension's bytes: JSON (as Kubernetes stores it) or a protobuf-encoded object (in protobuf watch events). */
let rawExtensionValue: (raw: Uint8Array) => Json = (raw) => JSON.parse(Buffer.from(raw).toString('utf8'));

/** The envelope module teaches RawExtension to read protobuf-encoded objects (a watch event's object). */
export function setRawExtensionDecoder(decode: (raw: Uint8Array) => Json): void {
  rawExtensionValue = decode;
}

function encodeSpecial(type: string, v: Json, w: Writer): void {
  switch (type) {
    case TIME:
    case MICRO_TIME: {
      const { seconds, nanos } = parseTime(String(v), type === MICRO_TIME);
      w.uint32(8).int64(seconds);
      if (nanos) w.uint32(16).int32(nanos);
      return;
    }
    case DURATION: {
      const ns = Math.round(parseGoDuration(String(v)) * 1e6);
      if (ns) w.uint32(8).int64(ns);
      return;
    }
    case QUANTITY:
      w.uint32(10).string(String(v));
      return;
    case INT_OR_STRING:
      if (typeof v === 'string') w.uint32(8).int64(1).uint32(26).string(v);
      else w.uint32(8).int64(0).uint32(16).int32(Number(v));
      return;
    case RAW_EXTENSION:
    case FIELDS_V1:
      w.uint32(10).bytes(v instanceof Uint8Array ? v : Buffer.from(JSON.stringify(v)));
      return;
  }
}

// ---- messages ----

function decodeValue(type: string, r: Reader, wire: number): Json {
  if (!isMessage(type)) return readScalar(r, type);
  if (wire !== 2) throw new Error(`field of message type ${type} has wire type ${wire}`);
  const length = r.uint32();
  return decodeMessageAt(type, r, r.pos + length);
}

function decodeMessageAt(type: string, r: Reader, end: number): Json {
  if (end > r.len) throw new RangeError('index out of range');
  if (SPECIAL.has(type)) return decodeSpecial(type, r, end);
  if (isListWrapper(type)) {
    const items: Json[] = [];
    const itemType = messageRows[type][0][2];
    while (r.pos < end) {
      const key = r.uint32();
      if (key >>> 3 === 1) items.push(decodeValue(itemType, r, key & 7));
      else r.skipType(key & 7);
    }
    return items;
  }
  const m = message(type);
  const out: Record<string, Json> = {};
  while (r.pos < end) {
    const key = r.uint32();
    const f = m.byNum.get(key >>> 3);
    const wire = key & 7;
    if (!f) {
      r.skipType(wire);
      continue;
    }
    if (f.inline) {
      Object.assign(out, decodeValue(f.type, r, wire));
    } else if (f.map) {
      const entryEnd = r.uint32() + r.pos;
      let k: Json = f.keyType === 'string' ? '' : 0;
      let v: Json = undefined;
      while (r.pos < entryEnd) {
        const entryKey = r.uint32();
        if (entryKey >>> 3 === 1) k = readScalar(r, f.keyType);
        else if (entryKey >>> 3 === 2) v = decodeValue(f.type, r, entryKey & 7);
        else r.skipType(entryKey & 7);
      }
      if (v === undefined) v = isMessage(f.type) ? {} : f.type === 'string' || f.type === 'bytes' ? '' : 0;
      (out[f.name] ??= {})[k] = v;
    } else if (f.repeated) {
      if (wire === 2 && !isMessage(f.type) && wireType(f.type) !== 2) {
        // Packed numbers (proto3 style); Kubernetes' proto2 messages send them one by one, but both are valid.
        const packedEnd = r.uint32() + r.pos;
        const list = (out[f.name] ??= []);
        while (r.pos < packedEnd) list.push(readScalar(r, f.type));
      } else {
        (out[f.name] ??= []).push(decodeValue(f.type, r, wire));
      }
    } else {
      const v = decodeValue(f.type, r, wire);
      if (v === undefined || (f.value && isZero(v))) delete out[f.name];
      else out[f.name] = v;
    }
  }
  return out;
}

function encodeValue(type: string, v: Json, w: Writer): void {
  if (!isMessage(type)) {
    writeScalar(w, type, v);
    return;
  }
  w.fork();
  encodeMessageInto(type, v, w);
  w.ldelim();
}

function encodeMessageInto(type: string, obj: Json, w: Writer): void {
  if (SPECIAL.has(type)) {
    encodeSpecial(type, obj, w);
    return;
  }
  if (isListWrapper(type)) {
    const itemType = messageRows[type][0][2];
    for (const item of obj as Json[]) encodeField(w, 1, itemType, item);
    return;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`${type} must be an object`);
  for (const f of message(type).fields) {
    if (f.inline) {
      w.uint32((f.num << 3) | 2).fork();
      encodeMessageInto(f.type, obj, w);
      w.ldelim();
      continue;
    }
    const v = obj[f.name];
    if (v === undefined || v === null) continue;
    if (f.map) {
      for (const [k, item] of Object.entries(v as Record<string, Json>)) {
        if (item === null) continue;
        w.uint32((f.num << 3) | 2).fork();
        w.uint32((1 << 3) | wireType(f.keyType));
        writeScalar(w, f.keyType, k);
        encodeField(w, 2, f.type, item);
        w.ldelim();
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new Error(`${type}.${f.name} must be a list`);
      for (const item of v) if (item !== null) encodeField(w, f.num, f.type, item);
    } else {
      encodeField(w, f.num, f.type, v);
    }
  }
}

function encodeField(w: Writer, num: number, type: string, v: Json): void {
  w.uint32((num << 3) | wireType(type));
  encodeValue(type, v, w);
}

/** A message's bytes from its JSON form; fields the message does not have are not sent. */
export function encodeMessage(type: string, obj: Json): Uint8Array {
  const w = protobuf.Writer.create();
  encodeMessageInto(type, obj, w);
  return w.finish();
}

/** A message's JSON form from its bytes; throws on malformed input. */
export function decodeMessage(type: string, bytes: Uint8Array): Json {
  const r = protobuf.Reader.create(bytes);
  const out = decodeMessageAt(type, r, bytes.length);
  return out === undefined ? {} : out;
}

/** The message an object of a kind is sent as; apimachinery's kinds (Status, DeleteOptions) serve every group version. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  const kinds = tables.kinds as Record<string, string>;
  const meta = kinds[`v1/${kind}`];
  return kinds[`${apiVersion}/${kind}`] ?? (meta?.startsWith(`${META}.`) ? meta : undefined);
}

/** Every kind with a message, as `apiVersion/Kind`. */
export function protobufKinds(): string[] {
  return Object.keys(tables.kinds);
}

/** The fields of a message as JSON has them (inlined structs' fields in place of the struct), for tests that walk the tables. */
export function messageFields(type: string): Field[] {
  return message(type).fields.flatMap((f) => (f.inline ? messageFields(f.type) : [f]));
}

export const SPECIAL_MESSAGES: ReadonlySet<string> = SPECIAL;
export { isListWrapper };

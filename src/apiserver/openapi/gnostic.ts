// The Swagger 2.0 document in protobuf, as gnostic's `openapi.v2.Document` message, which is how
// kubectl fetches /openapi/v2 (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`) for
// client-side validation. Only the parts of the message a Kubernetes document uses are written:
// vendor extensions and enum values travel as YAML (JSON is YAML), as gnostic stores them.
import type { Schema } from './definitions.js';

// Most tags and lengths fit in one byte: shared buffers for them spare an allocation each.
const SMALL_VARINTS = Array.from({ length: 128 }, (_, n) => Buffer.from([n]));

/** A protobuf message being written: fields appended in order, nested messages length-prefixed. */
class Message {
  private readonly parts: Buffer[] = [];

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  private varint(n: number): void {
    if (n < 128) {
      this.parts.push(SMALL_VARINTS[n]);
      return;
    }
    const bytes: number[] = [];
    while (n > 0x7f) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    this.parts.push(Buffer.from(bytes));
  }

  string(field: number, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    const bytes = Buffer.from(value, 'utf8');
    this.tag(field, 2);
    this.varint(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.string(field, v);
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (!value) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  message(field: number, m: Message | undefined): this {
    if (!m) return this;
    const bytes = m.bytes();
    this.tag(field, 2);
    this.varint(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  messages(field: number, ms: readonly Message[]): this {
    for (const m of ms) this.message(field, m);
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** gnostic's Any: the value as YAML text (field 2). */
function any(value: unknown): Message {
  return new Message().string(2, JSON.stringify(value));
}

function namedAny(name: string, value: unknown): Message {
  return new Message().string(1, name).message(2, any(value));
}

function vendorExtensions(node: Schema): Message[] {
  return Object.entries(node)
    .filter(([k]) => k.startsWith('x-'))
    .map(([k, v]) => namedAny(k, v));
}

function schema(s: Schema): Message {
  const m = new Message().string(1, s.$ref).string(2, s.format).string(4, s.description).strings(19, s.required);
  for (const value of s.enum ?? []) m.message(20, any(value));
  if (s.additionalProperties !== undefined) {
    m.message(
      21,
      typeof s.additionalProperties === 'object' ? new Message().message(1, schema(s.additionalProperties)) : new Message().bool(2, s.additionalProperties),
    );
  }
  if (s.type !== undefined) m.message(22, new Message().strings(1, [s.type].flat()));
  if (s.items) m.message(23, new Message().message(1, schema(s.items)));
  if (s.properties) {
    const named = Object.entries(s.properties as Record<string, Schema>).map(([name, p]) => new Message().string(1, name).message(2, schema(p)));
    m.message(25, new Message().messages(1, named));
  }
  return m.messages(31, vendorExtensions(s));
}

function parameter(p: Schema): Message {
  if (p.in === 'body') {
    const body = new Message().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required).message(5, p.schema && schema(p.schema));
    return new Message().message(1, new Message().message(1, body));
  }
  // Query and path parameters share their first fields; they differ from `type` on.
  const sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
  if (p.in === 'path') sub.string(5, p.type).bool(19, p.uniqueItems);
  else sub.string(6, p.type).bool(20, p.uniqueItems);
  const nonBody = new Message().message(p.in === 'path' ? 4 : 3, sub);
  return new Message().message(1, new Message().message(2, nonBody));
}

function operation(op: Schema): Message {
  const responses = Object.entries(op.responses as Record<string, Schema>).map(([code, r]) => {
    const response = new Message().string(1, r.description).message(2, r.schema && new Message().message(1, schema(r.schema)));
    return new Message().string(1, code).message(2, new Message().message(1, response));
  });
  return new Message()
    .strings(1, op.tags)
    .string(3, op.description)
    .string(5, op.operationId)
    .strings(6, op.produces)
    .strings(7, op.consumes)
    .messages(8, (op.parameters ?? []).map(parameter))
    .message(9, new Message().messages(1, responses))
    .strings(10, op.schemes)
    .messages(13, vendorExtensions(op));
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(item: Schema): Message {
  const m = new Message();
  for (const [method, field] of Object.entries(METHOD_FIELDS)) if (item[method]) m.message(field, operation(item[method]));
  return m.messages(9, (item.parameters ?? []).map(parameter));
}

/** The document's protobuf bytes. */
export function encodeSwaggerProtobuf(doc: Schema): Buffer {
  const info = new Message().string(1, doc.info.title).string(2, doc.info.version);
  const paths = new Message().messages(
    2,
    Object.entries(doc.paths as Record<string, Schema>).map(([name, item]) => new Message().string(1, name).message(2, pathItem(item))),
  );
  const definitions = new Message().messages(
    1,
    Object.entries(doc.definitions as Record<string, Schema>).map(([name, s]) => new Message().string(1, name).message(2, schema(s))),
  );
  const security = (doc.security as Record<string, string[]>[]).map((req) =>
    new Message().messages(
      1,
      Object.entries(req).map(([name, scopes]) => new Message().string(1, name).message(2, new Message().strings(1, scopes))),
    ),
  );
  const securityDefinitions = new Message().messages(
    1,
    Object.entries(doc.securityDefinitions as Record<string, Schema>).map(([name, d]) => {
      const apiKey = new Message().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description);
      return new Message().string(1, name).message(2, new Message().message(2, apiKey));
    }),
  );
  return new Message()
    .string(1, doc.swagger)
    .message(2, info)
    .message(8, paths)
    .message(9, definitions)
    .messages(12, security)
    .message(13, securityDefinitions)
    .bytes();
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import schemaDocument from '../../src/apiserver/registry/schemas/kubernetes.json' with { type: 'json' };
import { RESOURCES, apiVersionOf } from '../../src/api/resources.js';
import { decodeMessage, encodeMessage, isListWrapper, isMessage, messageFields, messageForKind, SPECIAL_MESSAGES } from '../../src/api/protobuf/codec.js';
import { decodeObject, decodeWatchFrames, encodeObject, encodeWatchFrame, MAGIC } from '../../src/api/protobuf/envelope.js';
import { seededRandom } from '../helpers/seeded-random.js';

const definitions = (schemaDocument as { definitions: Record<string, any> }).definitions;
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

test("a TokenRequest as kubectl's typed client sends it decodes to its JSON form", () => {
  // Captured from `kubectl create token default --duration 20m --audience aa --bound-object-kind Pod --bound-object-name p` (v1.32):
  // every Go value field is on the wire, zero or not (name "", generation 0, an empty creationTimestamp).
  const body = Buffer.from(
    '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412310a100a0012001a0022002a0032003800420012170a0261611a0e0a03506f64120276311a0170220020b0091a040a0012001a002200',
    'hex',
  );
  assert.deepEqual(decodeObject(body), {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: {},
    spec: { audiences: ['aa'], expirationSeconds: 1200, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } },
    status: {},
  });
  assert.throws(() => decodeObject(Buffer.from('{"kind":"TokenRequest"}')), /does not appear to be a protobuf message, expected prefix \[107 56 115 0\]/);
  assert.throws(() => decodeObject(body.subarray(0, 60)), /malformed/);
});

test('the envelope is k8s\\0 then runtime.Unknown {typeMeta {apiVersion, kind}, raw, contentEncoding, contentType}', () => {
  const bytes = encodeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
  assert.deepEqual(bytes.subarray(0, 4), MAGIC);
  // typeMeta: field 1, length 15: apiVersion "v1" (field 1), kind "Namespace" (field 2).
  assert.equal(bytes.subarray(4, 21).toString('hex'), `0a0f0a0276311209${Buffer.from('Namespace').toString('hex')}`);
  const raw = bytes.subarray(21);
  assert.equal(raw[0], 0x12); // raw: field 2
  const message = raw.subarray(2, 2 + raw[1]);
  assert.deepEqual(decodeMessage('k8s.io.api.core.v1.Namespace', message), { metadata: { name: 'x' } });
  assert.equal(raw.subarray(2 + raw[1]).toString('hex'), '1a002200'); // empty contentEncoding and contentType
  assert.throws(() => encodeObject({ apiVersion: 'v1', kind: 'Nothing' }), /no protobuf message is known for Nothing in v1/);
});

test('Go value fields at their zero value are unset; pointers keep zero; struct values stay', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', generateName: '', creationTimestamp: null },
    spec: {
      replicas: 0,
      paused: false,
      selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'nginx', resources: {}, ports: [{ containerPort: 80, hostPort: 0 }] }] } },
    },
  };
  assert.deepEqual(decodeObject(encodeObject(deployment)), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'nginx', resources: {}, ports: [{ containerPort: 80 }] }] } },
    },
  });
});

test('Secret data is bytes (base64 in JSON), times are RFC 3339, quantities strings, RawExtension and FieldsV1 embedded JSON', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: '2024-05-06T07:08:09Z' }, data: { a: Buffer.from([0, 255, 1]).toString('base64'), empty: '' }, type: 'Opaque' };
  assert.deepEqual(decodeObject(encodeObject(secret)), secret);
  const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { renewTime: '2024-05-06T07:08:09.123456Z', leaseDurationSeconds: 40 } };
  assert.deepEqual(decodeObject(encodeObject(lease)), lease);
  const managed = { manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } }, time: '2024-01-01T00:00:00Z' };
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: [managed] }, data: { k: 'v' }, binaryData: { b: 'AAE=' } };
  assert.deepEqual(decodeObject(encodeObject(cm)), cm);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '100m', memory: '1Gi' } } }] } };
  assert.deepEqual(decodeObject(encodeObject(pod)), pod);
});

test('a protobuf watch stream is 4-byte big-endian lengths of WatchEvents whose object is an enveloped object', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w', resourceVersion: '7' } };
  const status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 };
  const stream = Buffer.concat([encodeWatchFrame('ADDED', ns), encodeWatchFrame('ERROR', status)]);
  const first = stream.readUInt32BE(0);
  const event = stream.subarray(4, 4 + first);
  // WatchEvent {type "ADDED" (field 1), object RawExtension (field 2) {raw (field 1) = k8s\0...}}
  assert.equal(event.subarray(0, 7).toString('latin1'), '\n\x05ADDED');
  assert.equal(event[7], 0x12);
  const { events, rest } = decodeWatchFrames(stream.subarray(0, stream.length - 3));
  assert.deepEqual(events, [{ type: 'ADDED', object: ns }]);
  assert.equal(rest.length, stream.length - 3 - 4 - first);
  assert.deepEqual(decodeWatchFrames(stream).events, [
    { type: 'ADDED', object: ns },
    { type: 'ERROR', object: status },
  ]);
});

test('lists, Status and DeleteOptions have their messages; DeleteOptions in any group version', () => {
  const list = { apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: '9', continue: 'abc' }, items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] };
  assert.deepEqual(decodeObject(encodeObject(list)), list);
  const options = { apiVersion: 'apps/v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, dryRun: ['All'] };
  assert.deepEqual(decodeObject(encodeObject(options)), options);
  assert.equal(messageForKind('apps/v1', 'DeleteOptions'), `${META}.DeleteOptions`);
});

// ---- JSON -> protobuf -> JSON over every served kind's schema ----


interface Gen {
  rnd: () => number;
  depth: number;
  /** Every field of the schema, not a random few: so each field is exercised at least once. */
  full: boolean;
}

function pick<T>(g: Gen, xs: T[]): T {
  return xs[Math.floor(g.rnd() * xs.length)];
}

function resolve(schema: any): any {
  return schema.$ref ? definitions[schema.$ref.replace('#/definitions/', '')] : schema;
}

function word(g: Gen): string {
  return pick(g, ['a', 'web', 'x-1', 'Zz', 'ünï', 'with space', '0']) + (g.rnd() < 0.5 ? String(Math.floor(g.rnd() * 100)) : '');
}

/**
 * A JSON value for a schema and the protobuf type of the field it goes in. The schema says the
 * shape; the protobuf type says what the string is (bytes are base64, times RFC 3339). Value
 * (non-pointer) fields get no zero values: those are "unset" on the wire, by design.
 */
function generate(g: Gen, schemaIn: any, protoType: string, valueField: boolean, path: string): any {
  const schema = resolve(schemaIn);
  if (protoType === `${META}.Time`) return new Date(Math.floor(g.rnd() * 2e9) * 1000).toISOString().replace('.000', '');
  if (protoType === `${META}.MicroTime`) return new Date(Math.floor(g.rnd() * 2e12)).toISOString().replace('Z', `${Math.floor(g.rnd() * 1000).toString().padStart(3, '0')}Z`);
  if (protoType === 'k8s.io.apimachinery.pkg.api.resource.Quantity') return pick(g, ['1', '100m', '1Gi', '0.5', '2k']);
  if (protoType === 'k8s.io.apimachinery.pkg.util.intstr.IntOrString') return g.rnd() < 0.5 ? Math.floor(g.rnd() * 1000) + (valueField ? 1 : 0) : `${Math.floor(g.rnd() * 100)}%`;
  if (protoType === `${META}.FieldsV1`) return { 'f:metadata': { 'f:name': {} } };
  if (protoType === 'bytes') return Buffer.from(word(g)).toString('base64');
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' && schema.properties) return generateObject(g, schema, protoType, path);
  if (type === 'object') return { [word(g)]: 'free-form' };
  if (type === 'array') {
    const itemType = isListWrapper(protoType) ? messageFields(protoType)[0].type : protoType;
    return Array.from({ length: 1 + Math.floor(g.rnd() * 2) }, () => generate(g, schema.items, itemType, false, `${path}[]`));
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(g, schema.enum);
  if (type === 'boolean') return valueField ? true : g.rnd() < 0.5;
  if (type === 'integer' || type === 'number') return Math.floor(g.rnd() * 100000) + (valueField ? 1 : 0);
  if (type === 'string') return word(g);
  throw new Error(`no generator for ${path}: ${JSON.stringify(schema)}`);
}

/** Fields the JSON schemas (kubernetes-types 1.30) have and kubectl 1.32's messages do not. */
const schemaOnly = new Set<string>();

function generateObject(g: Gen, schema: any, protoType: string, path: string): Record<string, any> {
  assert.ok(isMessage(protoType), `${path}: the schema has an object where the protobuf field is ${protoType}`);
  const fields = new Map(messageFields(protoType).map((f) => [f.name, f]));
  const out: Record<string, any> = {};
  g.depth++;
  for (const [name, prop] of Object.entries<any>(schema.properties)) {
    if (name === 'apiVersion' || name === 'kind') continue;
    const f = fields.get(name);
    if (!f) {
      schemaOnly.add(`${protoType.slice(protoType.lastIndexOf('.') + 1)}.${name}`);
      continue;
    }
    // Deep optional fields thin out, so objects stay small.
    if (g.full ? g.depth > 20 : g.rnd() > 0.7 / g.depth) continue;
    if (f.map) {
      // An empty map is no entries on the wire: unset, as omitempty has it.
      const map: Record<string, any> = {};
      for (let i = 1 + Math.floor(g.rnd() * 2); i > 0; i--) map[word(g)] = generate(g, resolve(prop).additionalProperties, f.type, false, `${path}.${name}{}`);
      out[name] = map;
    } else {
      out[name] = generate(g, prop, f.type, f.value && !f.repeated, `${path}.${name}`);
    }
  }
  g.depth--;
  return out;
}

test('every served kind survives JSON -> protobuf -> JSON, for random objects of its schema', () => {
  for (const r of RESOURCES) {
    // kubectl links no apiextensions messages (scripts/generate-protobuf.mjs): CRDs travel as JSON.
    if (r.group === 'apiextensions.k8s.io') continue;
    const type = messageForKind(apiVersionOf(r), r.kind);
    assert.ok(type, `${r.kind} has no protobuf message`);
    for (let seed = 0; seed <= 40; seed++) {
      const g = { rnd: seededRandom(seed * 7919 + r.kind.length), depth: 1, full: seed === 0 };
      const obj: Record<string, unknown> = { apiVersion: apiVersionOf(r), kind: r.kind, ...generateObject(g, definitions[r.kind], type, r.kind) };
      const back = decodeObject(encodeObject(obj));
      assert.deepEqual(back, obj, `${r.kind}, seed ${seed}`);
    }
  }
  // The one field of the schemas protobuf cannot carry: an alpha field Kubernetes 1.31 removed.
  assert.deepEqual([...schemaOnly].sort(), ['PodResourceClaim.source']);
});

test('every message the tables reference exists, and the special ones are those apimachinery defines', () => {
  for (const r of RESOURCES) {
    const seen = new Set<string>();
    const walk = (type: string): void => {
      if (seen.has(type) || !isMessage(type)) return;
      seen.add(type);
      for (const f of messageFields(type)) {
        assert.ok(isMessage(f.type) || ['string', 'int32', 'int64', 'bool', 'bytes', 'double', 'float'].includes(f.type), `${type}.${f.name}: ${f.type}`);
        walk(f.type);
      }
    };
    walk(messageForKind(apiVersionOf(r), r.kind)!);
  }
  for (const special of SPECIAL_MESSAGES) assert.ok(isMessage(special), special);
  assert.deepEqual([...encodeMessage(`${META}.Time`, '1970-01-01T00:00:10Z')], [8, 10]);
});

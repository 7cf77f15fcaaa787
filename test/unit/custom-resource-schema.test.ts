// Structural schemas of CustomResourceDefinitions: what is refused as non-structural (with
// Kubernetes' field paths), and what a compiled schema does to a custom object: pruning, defaults,
// validation messages worded as apiextensions-apiserver words them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStructuralSchema, MAX_SCHEMA_DEPTH, type StructuralSchema } from '../../src/apiserver/registry/customresources/structural-schema.js';
import { applyDefaults, prune, validateValue } from '../../src/apiserver/registry/customresources/schema-values.js';
import { errors } from '../../src/api/errors.js';

const AT = 'spec.versions[0].schema.openAPIV3Schema';

function compile(raw: unknown): StructuralSchema {
  const { schema, causes } = compileStructuralSchema(raw, AT);
  assert.deepEqual(causes, []);
  return schema!;
}

function messages(raw: unknown): string[] {
  return compileStructuralSchema(raw, AT).causes.map((c) => `${c.field}: ${c.message}`);
}

const WIDGET = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['color'],
      properties: {
        color: { type: 'string', enum: ['red', 'green'] },
        replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 8 },
        port: { 'x-kubernetes-int-or-string': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer', default: 7 } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
        when: { type: 'string', format: 'date-time' },
        note: { type: 'string', nullable: true },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

test('a structural schema compiles; a missing type is refused at its Kubernetes path', () => {
  compile(WIDGET);
  assert.deepEqual(messages({ type: 'object', properties: { spec: { properties: { x: { type: 'string' } } } } }), [
    `${AT}.properties[spec].type: Required value: must not be empty for specified object fields`,
  ]);
  assert.deepEqual(messages({ type: 'object', properties: { list: { type: 'array', items: {} } } }), [
    `${AT}.properties[list].items.type: Required value: must not be empty for specified array items`,
  ]);
  assert.deepEqual(messages(undefined), [`${AT}: Required value: schemas are required`]);
  assert.deepEqual(messages({ type: 'string' }), [`${AT}.type: Invalid value: "string": must be object at the root`]);
});

test('types inside logical junctors, $ref and metadata fields beyond name are not structural', () => {
  assert.deepEqual(messages({ type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'integer' }] } } }), [
    `${AT}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
  ]);
  assert.deepEqual(messages({ type: 'object', properties: { a: { $ref: '#/definitions/x' } } }), [
    `${AT}.properties[a].$ref: Forbidden: $ref is not supported`,
    `${AT}.properties[a].type: Required value: must not be empty for specified object fields`,
  ]);
  assert.deepEqual(messages({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }), [
    `${AT}.properties[metadata].properties[labels]: Forbidden: must not be specified`,
  ]);
  // x-kubernetes-int-or-string may name its two types in an anyOf, as generated CRDs do.
  compile({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } });
});

test('hostile schemas are refused, never walked without bound', () => {
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < MAX_SCHEMA_DEPTH + 10; i++) deep = { type: 'object', properties: { a: deep } };
  assert.match(messages(deep).join('\n'), /must not be nested more than 64 levels deep/);
  assert.match(messages({ type: 'object', properties: { p: { type: 'string', pattern: 'x'.repeat(5000) } } }).join(), /must be at most 4096 characters/);
  assert.match(messages({ type: 'object', properties: { p: { type: 'string', pattern: '(?<=a)b' } } }).join(), /must be a valid regular expression/);
});

test('a catastrophic-backtracking pattern matches in linear time (RE2)', () => {
  const schema = compile({ type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } });
  const started = Date.now();
  const causes = validateValue(schema, { s: `${'a'.repeat(50_000)}!` });
  assert.ok(Date.now() - started < 2000, 'matching took too long');
  assert.equal(causes.length, 1);
  assert.match(causes[0].message, /s in body should match '\^\(a\+\)\+\$'/);
});

test('unknown fields are pruned; preserved where the schema says so; apiVersion, kind and metadata kept', () => {
  const schema = compile(WIDGET);
  const obj: any = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    extra: true,
    spec: { color: 'red', junk: 1, free: { anything: { deep: 1 } }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { a: 'x', b: 'y' }, other: 1 }, items: [{ n: 1, m: 2 }] },
  };
  prune(schema, obj);
  assert.deepEqual(obj, {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: { color: 'red', free: { anything: { deep: 1 } }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { a: 'x' } }, items: [{ n: 1 }] },
  });
});

test('defaults fill absent fields, also inside list items; set values stay', () => {
  const schema = compile(WIDGET);
  const obj: any = { spec: { color: 'red', items: [{}, { n: 3 }] } };
  applyDefaults(schema, obj);
  assert.deepEqual(obj.spec, { color: 'red', replicas: 1, items: [{ n: 7 }, { n: 3 }] });
  const set: any = { spec: { color: 'red', replicas: 4 } };
  applyDefaults(schema, set);
  assert.equal(set.spec.replicas, 4);
});

test('invalid values get Kubernetes field paths and messages', () => {
  const schema = compile(WIDGET);
  const causes = validateValue(schema, {
    spec: { color: 'blue', replicas: 'three', name: 'Has Caps', port: true, labels: { a: 1 }, items: [{ n: 'x' }], when: 'yesterday', note: null },
  });
  const text = causes.map((c) => `${c.field}: ${c.message}`);
  assert.deepEqual(text, [
    'spec.color: Unsupported value: "blue": supported values: "red", "green"',
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    "spec.name: Invalid value: \"Has Caps\": spec.name in body should match '^[a-z]+$'",
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    'spec.items[0].n: Invalid value: "string": spec.items[0].n in body must be of type integer: "string"',
    'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
  ]);
  assert.equal(
    errors.invalid('Widget', 'example.com', 'w', causes.slice(1, 2)).message,
    'Widget.example.com "w" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  );
});

test('required fields, bounds and lengths', () => {
  const schema = compile(WIDGET);
  assert.deepEqual(validateValue(schema, {}).map((c) => `${c.field}: ${c.message}`), ['spec: Required value']);
  const text = validateValue(schema, { spec: { replicas: 11, name: 'abcdefghij', port: 8080 } }).map((c) => `${c.field}: ${c.message}`);
  assert.deepEqual(text, [
    'spec.color: Required value',
    'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
    'spec.name: Too long: may not be more than 8 bytes',
  ]);
  assert.deepEqual(validateValue(schema, { spec: { color: 'red', replicas: -1 } }).map((c) => c.message), [
    'Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
  ]);
  assert.deepEqual(validateValue(schema, { spec: { color: 'green', port: 'http', when: '2024-01-02T03:04:05Z' } }), []);
});

test('an embedded resource needs its apiVersion and kind', () => {
  const schema = compile(WIDGET);
  const text = validateValue(schema, { spec: { color: 'red', template: { spec: {} } } }).map((c) => `${c.field}: ${c.message}`);
  assert.deepEqual(text, ['spec.template.apiVersion: Required value: must not be empty', 'spec.template.kind: Required value: must not be empty']);
});

// kctl explain's port of kubectl's plaintext template on a small OpenAPI v3 document, and the
// go-wordwrap / sprig helpers it relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitResourcePath } from '../../src/cli/commands/explain.js';
import { ExplainError, explain } from '../../src/cli/explain/openapi-explain.js';
import { indent, wrapString } from '../../src/cli/explain/word-wrap.js';

test('go-wordwrap: breaks at spaces within the limit, keeps long words and existing newlines', () => {
  assert.equal(wrapString('aaa bbb ccc', 7), 'aaa bbb\nccc');
  assert.equal(wrapString('a verylongword b', 5), 'a\nverylongword\nb');
  assert.equal(wrapString('one\ntwo three', 8), 'one\ntwo\nthree');
  assert.equal(indent('a\nb\n', 4), '    a\n    b\n    ');
});

const doc = {
  paths: { '/apis/demo.io/v1/namespaces/{namespace}/widgets': { get: { 'x-kubernetes-group-version-kind': { group: 'demo.io', version: 'v1', kind: 'Widget' } } } },
  components: {
    schemas: {
      'io.demo.v1.Widget': {
        description: 'Widget is a demo.',
        type: 'object',
        required: ['spec'],
        properties: {
          spec: { description: 'The spec.', allOf: [{ $ref: '#/components/schemas/io.demo.v1.WidgetSpec' }] },
          tags: { type: 'object', additionalProperties: { type: 'string', default: '' } },
        },
        'x-kubernetes-group-version-kind': [{ group: 'demo.io', version: 'v1', kind: 'Widget' }],
      },
      'io.demo.v1.WidgetSpec': {
        description: 'WidgetSpec is what a widget should be.',
        type: 'object',
        properties: {
          mode: { type: 'string', enum: ['', 'Fast', 'Slow'], description: 'How fast.' },
          parts: { type: 'array', items: { $ref: '#/components/schemas/io.demo.v1.WidgetSpec' } },
        },
      },
    },
  },
};

test('explain: the kind, its fields with types, required and enums; a field; recursion stops at a cycle', () => {
  const req = { document: doc, group: 'demo.io', version: 'v1', resource: 'widgets', recursive: false };
  assert.equal(
    explain({ ...req, fieldPath: [] }),
    'GROUP:      demo.io\nKIND:       Widget\nVERSION:    v1\n\nDESCRIPTION:\n    Widget is a demo.\n    \nFIELDS:\n' +
      '  spec\t<WidgetSpec> -required-\n    The spec.\n\n  tags\t<map[string]string>\n    <no description>\n\n\n',
  );
  assert.equal(
    explain({ ...req, fieldPath: ['spec', 'mode'] }),
    'GROUP:      demo.io\nKIND:       Widget\nVERSION:    v1\n\nFIELD: mode <string>\nENUM:\n    ""\n    Fast\n    Slow\n\nDESCRIPTION:\n    How fast.\n    \n\n',
  );
  assert.equal(
    explain({ ...req, fieldPath: ['spec'], recursive: true }).split('FIELDS:\n')[1],
    '  mode\t<string>\n  enum: "", Fast, Slow\n  parts\t<[]WidgetSpec>\n\n',
  );
  assert.throws(() => explain({ ...req, fieldPath: ['nope'] }), (e: unknown) => e instanceof ExplainError && e.message === 'field "nope" does not exist' && e.printed.startsWith('GROUP:'));
  assert.throws(() => explain({ ...req, resource: 'gadgets', fieldPath: [] }), /GVR \(demo.io\/v1, Resource=gadgets\) not found in OpenAPI schema/);
});

test('explain: RESOURCE[.GROUP].FIELD paths', () => {
  assert.deepEqual(
    (({ r, fieldPath }) => [r.kind, fieldPath])(splitResourcePath('deployments.apps.spec.template')),
    ['Deployment', ['spec', 'template']],
  );
  assert.deepEqual((({ r, fieldPath }) => [r.kind, fieldPath])(splitResourcePath('po.spec')), ['Pod', ['spec']]);
  assert.throws(() => splitResourcePath('frobs'), /the server doesn't have a resource type "frobs"/);
  assert.throws(() => splitResourcePath('deploy', 'v9'), /couldn't find resource for "\/v9, Resource=deployments"/);
});

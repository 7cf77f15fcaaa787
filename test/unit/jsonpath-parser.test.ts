// The JSONPath parser alone: the nodes a template becomes, and client-go's parse errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJsonPath, relaxedJsonPathExpression } from '../../src/api/printers/jsonpath/parser.js';

test('a template becomes text and actions of nodes', () => {
  const root = parseJsonPath('name: {.metadata.name}{"\\n"}');
  assert.deepEqual(root, {
    type: 'list',
    nodes: [
      { type: 'text', text: 'name: ' },
      { type: 'list', nodes: [{ type: 'field', name: 'metadata' }, { type: 'field', name: 'name' }] },
      { type: 'list', nodes: [{ type: 'text', text: '\n' }] },
    ],
  });
});

test('indexes, slices, unions, filters, wildcards, recursion and escaped dots', () => {
  const [action] = parseJsonPath('{..items[1:3].spec.containers[*][?(@.name=="web")][0,-1].labels.app\\.io/name}').nodes as any[];
  assert.deepEqual(
    action.nodes.map((n: any) => n.type),
    ['recursive', 'field', 'array', 'field', 'field', 'array', 'filter', 'union', 'field', 'field'],
  );
  assert.deepEqual(action.nodes[2].params, [
    { value: 1, known: true, derived: false },
    { value: 3, known: true, derived: false },
    { value: 0, known: false, derived: false },
  ]);
  // `[*]` is the whole slice; a single index ends one past itself.
  assert.deepEqual(action.nodes[5].params.map((p: any) => p.known), [false, false, false]);
  assert.equal(action.nodes[6].operator, '==');
  assert.deepEqual(action.nodes[6].right.nodes, [{ type: 'text', text: 'web' }]);
  assert.equal(action.nodes[7].nodes[1].nodes[0].params[1].derived, true);
  assert.deepEqual(action.nodes[9], { type: 'field', name: 'app.io/name' });
});

test('literals: numbers, booleans, range and end', () => {
  const actions = parseJsonPath('{range .items[*]}{1.5}{-2}{true}{end}').nodes as any[];
  assert.deepEqual(actions.map((a) => a.nodes[0]), [
    { type: 'identifier', name: 'range' },
    { type: 'number', value: 1.5, float: true },
    { type: 'number', value: -2, float: false },
    { type: 'bool', value: true },
    { type: 'identifier', name: 'end' },
  ]);
});

test('parse errors carry client-go\'s words', () => {
  assert.throws(() => parseJsonPath('{.a'), /unclosed action/);
  assert.throws(() => parseJsonPath('{.a[1}'), /unterminated array/);
  assert.throws(() => parseJsonPath('{.a[x]}'), /invalid array index x/);
  assert.throws(() => parseJsonPath('{.a[?(@.b=="c"}'), /unterminated filter/);
  assert.throws(() => parseJsonPath('{#}'), /unrecognized character in action: U\+0023 '#'/);
  assert.throws(() => parseJsonPath('{....a}'), /invalid multiple recursive descent/);
  assert.throws(() => parseJsonPath('{"a\\qb"}'), /unquote string "a\\qb" error invalid syntax/);
});

test('relaxed paths become templates', () => {
  for (const p of ['.a.b', 'a.b', '{.a.b}', '{a.b}']) assert.equal(relaxedJsonPathExpression(p), '{.a.b}');
  assert.throws(() => relaxedJsonPathExpression('{a}{b}'), /unexpected path string/);
});

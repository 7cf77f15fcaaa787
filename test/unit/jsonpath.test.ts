import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonPath, JsonPathError, goSprint, printJsonPath, relaxedJsonPathExpression } from '../../src/api/printers/jsonpath.js';
import { sortObjects, sortTable } from '../../src/cli/printers/sort-by.js';
import type { KubeObject, Table } from '../../src/api/types.js';

// The object `kubectl config view` hands to its jsonpath printer for a small kubeconfig; the
// expected outputs below are what kubectl 1.32 printed for it.
const config = {
  apiVersion: 'v1',
  clusters: [{ cluster: { server: 'http://127.0.0.1:1' }, name: 'c1' }],
  contexts: [
    { context: { cluster: 'c1', namespace: 'ns1', user: '' }, name: 'ctx1' },
    { context: { cluster: 'c1', user: '' }, name: 'ctx2' },
  ],
  'current-context': 'ctx1',
  kind: 'Config',
  preferences: {},
  users: null,
};

test('templates print as kubectl prints them', () => {
  const cases: [string, string][] = [
    ['{.kind} {.apiVersion}', 'Config v1'],
    ['plain text', 'plain text'],
    ['{"\\n"}', '\n'],
    ['{"a\\tb"}', 'a\tb'],
    ["{'x'}", 'x'],
    ['{$.kind}', 'Config'],
    ['{ .kind }', 'Config'],
    ['{.current-context}', 'ctx1'],
    ['{.clusters[0].cluster.server}', 'http://127.0.0.1:1'],
    ['{.contexts[*].name}', 'ctx1 ctx2'],
    ['{.contexts[*].context.namespace}', 'ns1'],
    ['{.contexts[0].name}{.contexts[1].name}', 'ctx1ctx2'],
    ['{.contexts[*].name}{"|"}{.contexts[*].name}', 'ctx1 ctx2|ctx1 ctx2'],
    // Maps and lists print as compact JSON, null as null.
    ['{.contexts[*].context}', '{"cluster":"c1","namespace":"ns1","user":""} {"cluster":"c1","user":""}'],
    ['{.preferences}', '{}'],
    ['{.users}', 'null'],
    ['{.contexts[?(@.name=="ctx1")]}', '{"context":{"cluster":"c1","namespace":"ns1","user":""},"name":"ctx1"}'],
    // Indexes, slices, unions, keys in brackets.
    ['{.contexts[-1].name}', 'ctx2'],
    ['{.contexts[-1:].name}', 'ctx2'],
    ['{.contexts[1:].name}', 'ctx2'],
    ['{.contexts[::2].name}', 'ctx1'],
    ['{.contexts[0,1].name}', 'ctx1 ctx2'],
    ['{.contexts[ 0 , 1 ].name}', 'ctx1 ctx2'],
    ["{.contexts[0]['name']}", 'ctx1'],
    ['{.contexts[0:0]}', ''],
    ['{.contexts.*}', '{"context":{"cluster":"c1","namespace":"ns1","user":""},"name":"ctx1"} {"context":{"cluster":"c1","user":""},"name":"ctx2"}'],
    // `*` on a string walks its bytes.
    ['{.contexts[0].name.*}', '99 116 120 49'],
    // Filters.
    ['{.contexts[?(@.context.namespace)].name}', 'ctx1'],
    ['{.contexts[?(@.context.namespace=="ns1")].name}', 'ctx1'],
    ["{.contexts[?(@.name=='ctx2')].context.cluster}", 'c1'],
    ['{.contexts[?(@.name!="ctx1")].name}', 'ctx2'],
    ['{.contexts[?(@.name>"ctx1")].name}', 'ctx2'],
    ['{.contexts[?(@.context.user=="")].name}', 'ctx1 ctx2'],
    ['{.contexts[?(@.nothere=="x")].name}', ''],
    // Ranges.
    ['{range .contexts[*]}[{.name}]{end}', '[ctx1][ctx2]'],
    ['{range .contexts[*]}{.context.namespace}{","}{end}', 'ns1,,'],
    ['{range .contexts[*]}{range .context}{.cluster}{end}{end}x', 'c1c1x'],
    ['{range .nothing[*]}{.x}{end}after', 'after'],
    ['{range .contexts[*]}{.name}', 'ctx1ctx2'],
    // Recursive descent.
    ['{.contexts[*]..cluster}', 'c1 c1'],
    // Missing keys print nothing by default.
    ['{.nothere}', ''],
    ['{.contexts.name}', ''],
    ['{.contexts[*].nothere}', ''],
  ];
  for (const [template, expected] of cases) assert.equal(printJsonPath(template, config), expected, template);
});

test('escaped dots reach keys that contain dots', () => {
  const pod = { metadata: { labels: { 'app.kubernetes.io/name': 'web', app: 'x' } } };
  assert.equal(printJsonPath('{.metadata.labels.app\\.kubernetes\\.io/name}', pod), 'web');
});

test('numbers and booleans compare as Go templates do', () => {
  const data = { items: [{ n: 1, f: 1.5, b: true, s: 'a' }, { n: 3, f: 2.5, b: false, s: 'b' }] };
  assert.equal(printJsonPath('{.items[?(@.n>1)].s}', data), 'b');
  assert.equal(printJsonPath('{.items[?(@.n<=1)].s}', data), 'a');
  assert.equal(printJsonPath('{.items[?(@.f>=2.0)].s}', data), 'b');
  assert.equal(printJsonPath('{.items[?(@.b==true)].s}', data), 'a');
  assert.equal(printJsonPath('{.items[*].f}', data), '1.5 2.5');
  assert.throws(() => printJsonPath('{.items[?(@.s>1)].s}', data), /incompatible types for comparison/);
  assert.throws(() => printJsonPath('{.items[?(@.n>1.0)].s}', data), /incompatible types for comparison/);
  assert.throws(() => printJsonPath('{.items[?(@.b>false)].s}', data), /invalid type for comparison/);
});

test('execution errors carry kubectl\'s message, the template and the object', () => {
  const small = { kind: 'Config', n: 1, list: ['a', null] };
  const message = (template: string, allowMissingKeys = true) => {
    try {
      printJsonPath(template, small, { allowMissingKeys });
    } catch (err) {
      assert.ok(err instanceof JsonPathError);
      return err.message;
    }
    return 'no error';
  };
  assert.equal(
    message('{.nothere}', false),
    'error executing jsonpath "{.nothere}": Error executing template: nothere is not found. Printing more information for debugging the template:\n' +
      '\ttemplate was:\n\t\t{.nothere}\n' +
      '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"kind":"Config", "list":[]interface {}{"a", interface {}(nil)}, "n":1}\n\n',
  );
  assert.match(message('{.list[5]}'), /: Error executing template: array index out of bounds: index 5, length 2\. Printing/);
  assert.match(message('{.list[3:1]}'), /array index out of bounds: index 3, length 2/);
  assert.match(message('{.list[0:1:0]}'), /step must be > 0/);
  assert.match(message('{.kind[0]}'), /string is not array or slice/);
  assert.match(message('{end}'), /not in range, nothing to end/);
  assert.match(message('{.list[?(@==ab)]}'), /unrecognized identifier ab/);
});

test('parse errors read as kubectl\'s', () => {
  const cases: [string, string][] = [
    ['{.contexts[}', 'error parsing jsonpath {.contexts[}, unterminated array'],
    ['{.kind', 'error parsing jsonpath {.kind, unclosed action'],
    ['{#}', "error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'"],
    ['{.contexts["unterminated}', 'error parsing jsonpath {.contexts["unterminated}, unterminated array'],
    ['{.contexts[0]["name"]}', 'error parsing jsonpath {.contexts[0]["name"]}, invalid array index "name"'],
    ['{.a..b....c}', 'error parsing jsonpath {.a..b....c}, invalid multiple recursive descent'],
    ['{.items[?(@.a=="b"}', 'error parsing jsonpath {.items[?(@.a=="b"}, unterminated filter'],
  ];
  for (const [template, expected] of cases) assert.throws(() => printJsonPath(template, config), { message: expected }, template);
});

test('jsonpath-as-json prints each action\'s results as an indented array', () => {
  assert.equal(printJsonPath('{.contexts[*].name}', config, { asJson: true }), '[\n    "ctx1",\n    "ctx2"\n]\n');
});

test('findResults groups results by action, for custom columns and sorting', () => {
  const path = new JsonPath('{.contexts[*].name}x', { allowMissingKeys: true });
  assert.deepEqual(path.findResults(config), [['ctx1', 'ctx2'], ['x']]);
  assert.throws(() => new JsonPath('{.nothere}').findResults(config), /nothere is not found/);
});

test('goSprint formats values as Go\'s fmt.Sprint', () => {
  assert.equal(goSprint({ b: [1, 'x'], a: null }), 'map[a:<nil> b:[1 x]]');
  assert.equal(goSprint(1234567.5), '1.2345675e+06');
  assert.equal(goSprint(0.00001), '1e-05');
  assert.equal(goSprint(123456.5), '123456.5');
  assert.equal(goSprint(true), 'true');
});

test('relaxed paths for --sort-by and custom columns', () => {
  for (const input of ['.metadata.name', 'metadata.name', '{.metadata.name}', '{metadata.name}']) {
    assert.equal(relaxedJsonPathExpression(input), '{.metadata.name}', input);
  }
  assert.equal(relaxedJsonPathExpression(''), '');
  assert.throws(() => relaxedJsonPathExpression('{.a}{.b}'), /unexpected path string/);
});

const cm = (name: string, v?: unknown, ns = 'default'): KubeObject => ({ kind: 'ConfigMap', metadata: { name, namespace: ns }, data: v === undefined ? {} : { v } });
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).join(' ');

test('--sort-by: quantities by amount, other strings bytewise, numbers numerically', () => {
  const quantities = [cm('q1', '100m'), cm('q2', '1'), cm('q3', '250m'), cm('q4', '2'), cm('q5', '1Gi'), cm('q6', '900Mi')];
  assert.equal(names(sortObjects(quantities, '.data.v')), 'q1 q3 q2 q4 q6 q5');
  const strings = [cm('s1', 'x-10'), cm('s2', 'x-9'), cm('s3', 'x-100'), cm('s4', 'y')];
  assert.equal(names(sortObjects(strings, '{.data.v}')), 's1 s3 s2 s4');
  const numbers = [cm('n1', 10), cm('n2', 9), cm('n3', -1)];
  assert.equal(names(sortObjects(numbers, 'data.v')), 'n3 n2 n1');
  const times = [cm('t1', '2024-05-01T12:00:00Z'), cm('t2', '2023-01-01T00:00:00Z')];
  assert.equal(names(sortObjects(times, '.data.v')), 't2 t1');
});

test('--sort-by puts objects without the field first, in the order Go\'s insertion sort leaves them', () => {
  // kubectl 1.32 printed crashy-9, crashy-10, nginx for these pods sorted by .status.podIP.
  const pods = [cm('nginx', '10.244.0.5'), cm('crashy-10'), cm('crashy-9')];
  assert.equal(names(sortObjects(pods, '.data.v')), 'crashy-9 crashy-10 nginx');
  assert.throws(() => sortObjects([cm('a'), cm('b')], '.data.v'), { message: 'couldn\'t find any field with path "{.data.v}" in the list of objects' });
  assert.deepEqual(sortObjects([], '.data.v'), []);
  assert.throws(() => sortObjects([cm('a', { x: 1 }), cm('b', { x: 2 })], '.data.v'), /unsortable type/);
});

test('--sort-by on a server table sorts rows by their objects', () => {
  const row = (name: string, created: string) => ({ cells: [name], object: { metadata: { name, creationTimestamp: created } } });
  const t: Table = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: '', priority: 0 }],
    rows: [row('b', '2024-05-02T00:00:00Z'), row('a', '2024-05-03T00:00:00Z'), row('c', '2024-05-01T00:00:00Z')],
  };
  assert.deepEqual(sortTable(t, '.metadata.creationTimestamp').rows.map((r) => r.cells[0]), ['c', 'b', 'a']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { parseCustomColumnsSpec, parseCustomColumnsTemplate, printCustomColumns } from '../../src/cli/printers/custom-columns.js';
import { listOf, parseOutputFormat, printObjects } from '../../src/cli/printers/index.js';
import { objectName } from '../../src/cli/printers/name.js';
import { toYaml, yamlKeyOrder } from '../../src/api/printers/yaml-json.js';

// Expected texts below are what kubectl 1.32 printed for these objects.
const pods: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'cc', creationTimestamp: '2024-05-01T10:00:00Z', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] },
    status: { phase: 'Running', podIP: '10.244.0.5', containerStatuses: [{ name: 'web', ready: true, restartCount: 0 }, { name: 'log', ready: false, restartCount: 2 }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db-0', namespace: 'cc', creationTimestamp: '2024-05-01T09:00:00Z' },
    spec: { containers: [{ name: 'pg', image: 'postgres:16' }] },
    status: { phase: 'Pending' },
  },
];

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'django', namespace: 'cc', creationTimestamp: '2024-05-01T08:00:00Z', annotations: { note: 'a <b> & c' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'django' } },
    template: { metadata: { labels: { app: 'django' } }, spec: { containers: [{ name: 'web', image: 'django:5', args: ['--port', '8000'], resources: { requests: { cpu: '250m' } } }] } },
  },
  status: { replicas: 2, readyReplicas: 2 },
};

test('custom columns: several values joined by commas, <none> when nothing is found, maps as Go prints them', () => {
  const columns = parseCustomColumnsSpec('NAME:.metadata.name,IMAGES:.spec.containers[*].image,READY:.status.containerStatuses[*].ready,IP:.status.podIP,LABELS:.metadata.labels,X:.nothere');
  assert.equal(
    printCustomColumns(pods, columns),
    [
      'NAME    IMAGES               READY        IP           LABELS         X',
      'web-1   nginx:1.25,busybox   true,false   10.244.0.5   map[app:web]   <none>',
      'db-0    postgres:16          <none>       <none>       <none>         <none>',
      '',
    ].join('\n'),
  );
  assert.equal(printCustomColumns(pods, parseCustomColumnsSpec('N:metadata.name'), { noHeaders: true }), 'web-1\ndb-0\n');
  // Headers print even when there is nothing to list.
  assert.equal(printCustomColumns([], parseCustomColumnsSpec('NAME:.metadata.name')), 'NAME\n');
});

test('custom columns spec: header as written, path relaxed to a template', () => {
  assert.deepEqual(parseCustomColumnsSpec('Name:metadata.name,IMAGE:{.spec.containers[0].image}'), [
    { header: 'Name', fieldSpec: '{.metadata.name}' },
    { header: 'IMAGE', fieldSpec: '{.spec.containers[0].image}' },
  ]);
  assert.throws(() => parseCustomColumnsSpec('BROKEN'), { message: 'unexpected custom-columns spec: BROKEN, expected <header>:<json-path-expr>' });
  assert.throws(() => parseCustomColumnsSpec(''), /no custom columns given/);
  assert.throws(() => printCustomColumns(pods, parseCustomColumnsSpec('BAD:.metadata.name[0]')), /string is not array or slice/);
});

test('custom columns file: a header line and a path line', () => {
  assert.deepEqual(parseCustomColumnsTemplate('NAME   IMAGES\n.metadata.name  {.spec.containers[*].image}\n'), [
    { header: 'NAME', fieldSpec: '{.metadata.name}' },
    { header: 'IMAGES', fieldSpec: '{.spec.containers[*].image}' },
  ]);
  assert.throws(() => parseCustomColumnsTemplate(''), /missing header line/);
  assert.throws(() => parseCustomColumnsTemplate('NAME\n'), /missing spec line/);
  assert.throws(() => parseCustomColumnsTemplate('NAME IMAGE\n.metadata.name\n'), { message: "number of headers (2) and field specifications (1) don't match" });
});

test('parseOutputFormat reads -o as kubectl does', () => {
  const cases: [string | undefined, unknown][] = [
    [undefined, { type: 'table', wide: false }],
    ['', { type: 'table', wide: false }],
    ['wide', { type: 'table', wide: true }],
    ['json', { type: 'json' }],
    ['yaml', { type: 'yaml' }],
    ['name', { type: 'name' }],
    ['jsonpath={.items[*].metadata.name}', { type: 'jsonpath', template: '{.items[*].metadata.name}', asJson: false }],
    ['jsonpath-as-json={.a=b}', { type: 'jsonpath', template: '{.a=b}', asJson: true }],
    ['jsonpath-file=/tmp/t.txt', { type: 'jsonpath-file', path: '/tmp/t.txt' }],
    ['custom-columns=NAME:.metadata.name', { type: 'custom-columns', spec: 'NAME:.metadata.name' }],
    ['custom-columns-file=cols.txt', { type: 'custom-columns-file', path: 'cols.txt' }],
  ];
  for (const [spec, expected] of cases) assert.deepEqual(parseOutputFormat(spec), expected, spec);
  assert.throws(() => parseOutputFormat('xml'), /^Error: unable to match a printer suitable for the output format "xml", allowed formats are: custom-columns,/);
  assert.throws(() => parseOutputFormat('json=x'), /unable to match a printer/);
  assert.throws(() => parseOutputFormat('jsonpath'), { message: 'template format specified but no template given' });
  assert.throws(() => parseOutputFormat('custom-columns='), { message: 'custom-columns format specified but no custom columns given' });
});

test('-o name prints kind.group/name', () => {
  assert.equal(printObjects([...pods, deployment], { type: 'name' }), 'pod/web-1\npod/db-0\ndeployment.apps/django\n');
  assert.equal(objectName({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' } }), 'horizontalpodautoscaler.autoscaling/web');
  assert.throws(() => objectName({ metadata: { name: 'x' } }), /missing kind for resource with name x/);
});

test('-o json: sorted keys, 4-space indent, HTML characters escaped', () => {
  const json = printObjects([deployment], { type: 'json' }, { singleObject: true });
  assert.ok(json.startsWith('{\n    "apiVersion": "apps/v1",\n    "kind": "Deployment",\n    "metadata": {\n        "annotations": {\n            "note": "a \\u003cb\\u003e \\u0026 c"\n        },\n'));
  assert.ok(json.includes('                        "args": [\n                            "--port",\n                            "8000"\n                        ],\n'));
  assert.ok(json.endsWith('    "status": {\n        "readyReplicas": 2,\n        "replicas": 2\n    }\n}\n'));
  assert.deepEqual(JSON.parse(json), deployment);
  assert.equal(printObjects([], { type: 'json' }), '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
});

test('-o yaml: one object alone, several as a List', () => {
  assert.equal(
    printObjects([deployment], { type: 'yaml' }, { singleObject: true }),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  annotations:',
      '    note: a <b> & c',
      '  creationTimestamp: "2024-05-01T08:00:00Z"',
      '  name: django',
      '  namespace: cc',
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      '      app: django',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: django',
      '    spec:',
      '      containers:',
      '      - args:',
      '        - --port',
      '        - "8000"',
      '        image: django:5',
      '        name: web',
      '        resources:',
      '          requests:',
      '            cpu: 250m',
      'status:',
      '  readyReplicas: 2',
      '  replicas: 2',
      '',
    ].join('\n'),
  );
  const list = printObjects(pods, { type: 'yaml' });
  assert.ok(list.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    creationTimestamp: "2024-05-01T10:00:00Z"\n'));
  assert.ok(list.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n'));
  // A name asked for that matched several objects still prints a List.
  assert.ok(printObjects(pods, { type: 'yaml' }, { singleObject: true }).includes('kind: List'));
});

test('-o yaml quotes strings as go-yaml v2 does', () => {
  const data = {
    n: '123', yes: 'yes', ts: '2024-01-02T03:04:05Z', sexagesimal: '1:20', under: '1_000', empty: '', tilde: '~',
    star: '*x', colon: 'a: b', quote: "it's: x", single: "'", lead: ' lead', trail: 'trail ', tab: '\ttab',
    emoji: 'héllo 😀', block: 'x: 1\ny: 2\n', noend: 'a\nb', spaced: 'line one  \nline two\n', q: '?x', plain: 'a-b c',
  };
  const expected = [
    'block: |',
    '  x: 1',
    '  y: 2',
    'colon: \'a: b\'',
    'emoji: "héllo \\U0001F600"',
    'empty: ""',
    'lead: \' lead\'',
    // `n` is a YAML 1.1 boolean, so the key is quoted too.
    '"n": "123"',
    'noend: |-',
    '  a',
    '  b',
    'plain: a-b c',
    'q: ?x',
    'quote: \'it\'\'s: x\'',
    'sexagesimal: "1:20"',
    'single: \'\'\'\'',
    'spaced: "line one  \\nline two\\n"',
    'star: \'*x\'',
    'tab: "\\ttab"',
    'tilde: "~"',
    'trail: \'trail \'',
    'ts: "2024-01-02T03:04:05Z"',
    'under: "1_000"',
    '"yes": "yes"',
    '',
  ].join('\n');
  assert.equal(toYaml(data), expected);
});

test('go-yaml orders keys with numbers by value and punctuation before letters', () => {
  const keys = ['x10', 'x9', 'x01', 'x1', 'ab', 'a-b', '_foo', 'Abc', 'B', 'a'];
  assert.deepEqual([...keys].sort(yamlKeyOrder), ['_foo', 'Abc', 'B', 'a', 'a-b', 'ab', 'x1', 'x01', 'x9', 'x10']);
});

test('jsonpath prints a single object, or the List', () => {
  assert.equal(printObjects(pods, { type: 'jsonpath', template: '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', asJson: false }), 'web-1\tRunning\ndb-0\tPending\n');
  assert.equal(printObjects([pods[0]], { type: 'jsonpath', template: '{.metadata.labels}', asJson: false }, { singleObject: true }), '{"app":"web"}');
  assert.throws(() => printObjects(pods, { type: 'jsonpath', template: '{.nothere}', asJson: false }, { allowMissingTemplateKeys: false }), /nothere is not found/);
});

test('file formats read their file through the given reader', () => {
  const files: Record<string, string> = { 'cols.txt': 'NAME   IMAGES\n.metadata.name  {.spec.containers[*].image}\n', 'names.tmpl': '{.items[*].metadata.name}' };
  const readFile = (path: string) => files[path];
  assert.equal(
    printObjects(pods, { type: 'custom-columns-file', path: 'cols.txt' }, { readFile, noHeaders: true }),
    'NAME    IMAGES\nweb-1   nginx:1.25,busybox\ndb-0    postgres:16\n',
  );
  assert.equal(printObjects(pods, { type: 'jsonpath-file', path: 'names.tmpl' }, { readFile }), 'web-1 db-0');
  assert.throws(() => printObjects(pods, { type: 'jsonpath-file', path: 'x' }), /no file reader given/);
});

test('listOf is the List kubectl wraps several objects in', () => {
  assert.deepEqual(listOf(pods), { apiVersion: 'v1', kind: 'List', items: pods, metadata: { resourceVersion: '' } });
});

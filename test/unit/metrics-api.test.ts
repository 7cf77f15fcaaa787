// The resource metrics API's wire forms and kubectl top's tables, without a cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject, encodeObject } from '../../src/api/protobuf/envelope.js';
import { formatGoDuration, parseGoDuration } from '../../src/api/go-duration.js';
import { Quantity } from '../../src/api/quantity.js';
import { metricsAttributes, parseMetricsRoute } from '../../src/apiserver/http/metrics-api.js';
import { topNodesTable, topPodsTable } from '../../src/cli/printers/top-metrics.js';

test("Go's Duration.String, as metrics windows are written", () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [999, '999ns'],
    [1500, '1.5µs'],
    [1_500_000, '1.5ms'],
    [15e9, '15s'],
    [1.996e9, '1.996s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [3723.5e9, '1h2m3.5s'],
    [-2e9, '-2s'],
  ];
  for (const [ns, text] of cases) {
    assert.equal(formatGoDuration(ns), text, String(ns));
    assert.equal(Math.round(parseGoDuration(text) * 1e6), ns, text);
  }
});

test('quantities made from nanocores and bytes print as metrics-server writes them', () => {
  assert.equal(Quantity.ofNanos(628874547).toString(), '628874547n');
  assert.equal(Quantity.ofNanos(5_000_000).toString(), '5m');
  assert.equal(Quantity.ofNanos(0).toString(), '0');
  assert.equal(Quantity.of(630784, 'BinarySI').toString(), '616Ki');
  assert.equal(Quantity.of(12345678, 'BinarySI').toString(), '12345678');
  assert.equal(Quantity.of(512, 'BinarySI').toString(), '512');
});

test('PodMetrics and NodeMetricsList in protobuf, as kubectl top reads them (window a Duration in nanoseconds)', () => {
  const pod = {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:10Z', labels: { app: 'web' } },
    timestamp: '2026-01-01T00:00:09Z',
    window: '15.003s',
    containers: [{ name: 'app', usage: { cpu: '250m', memory: '12Mi' } }],
  };
  assert.deepEqual(decodeObject(encodeObject(pod)), pod);
  const list = {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetricsList',
    metadata: {},
    items: [{ metadata: { name: 'node-1', creationTimestamp: '2026-01-01T00:00:10Z' }, timestamp: '2026-01-01T00:00:09Z', window: '2s', usage: { cpu: '1500m', memory: '2Gi' } }],
  };
  assert.deepEqual(decodeObject(encodeObject(list)), list);
});

test('metrics.k8s.io paths and their authorization attributes', () => {
  assert.deepEqual(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/nodes'), { resource: 'nodes', name: undefined });
  assert.deepEqual(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/nodes/node-1'), { resource: 'nodes', name: 'node-1' });
  assert.deepEqual(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/pods'), { resource: 'pods' });
  assert.deepEqual(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods/dns'), { resource: 'pods', namespace: 'kube-system', name: 'dns' });
  assert.equal(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1'), undefined, 'discovery is not a metrics request');
  assert.equal(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/namespaces/a/services'), undefined);
  assert.equal(parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/nodes/a/b'), undefined);
  assert.throws(() => parseMetricsRoute('/apis/metrics.k8s.io/v1beta1/nodes/%E0'), /malformed escape/);
  const none = new URLSearchParams();
  assert.deepEqual(metricsAttributes('GET', { resource: 'pods', namespace: 'ns' }, none), {
    resourceRequest: true, verb: 'list', apiGroup: 'metrics.k8s.io', resource: 'pods', namespace: 'ns', name: undefined,
  });
  assert.equal(metricsAttributes('GET', { resource: 'nodes', name: 'n' }, none).verb, 'get');
  assert.equal(metricsAttributes('GET', { resource: 'nodes' }, new URLSearchParams('watch=true')).verb, 'watch');
  assert.equal(metricsAttributes('DELETE', { resource: 'nodes', name: 'n' }, none).verb, 'delete');
});

const nodeMetrics = (name: string, cpu: string, memory: string) => ({ metadata: { name }, usage: { cpu, memory } });

test('kubectl top node: millicores rounded up, MiB rounded down, truncated percentages, <unknown> for nodes without figures', () => {
  const available = new Map([
    ['node-b', { cpu: '2', memory: '4Gi' }],
    ['node-a', { cpu: '1500m', memory: '2Gi' }],
    ['node-c', { cpu: '1', memory: '1Gi' }],
  ]);
  const metrics = [nodeMetrics('node-b', '250000001n', '1536Mi'), nodeMetrics('node-a', '999m', '1023999Ki')];
  assert.equal(
    topNodesTable(metrics, available, { noHeaders: false, sortBy: '' }),
    [
      'NAME     CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   ',
      'node-a   999m         66%         999Mi           48%         ',
      'node-b   251m         12%         1536Mi          37%         ',
      'node-c   <unknown>    <unknown>   <unknown>       <unknown>   ',
      '',
    ].join('\n'),
  );
  assert.equal(
    topNodesTable(metrics, new Map(), { noHeaders: true, sortBy: 'memory' }),
    ['node-b   251m   1536Mi   ', 'node-a   999m   999Mi    ', ''].join('\n'),
  );
  assert.equal(topNodesTable([], available, { noHeaders: false, sortBy: '' }), '');
});

test('kubectl top pod: sums of containers, --containers, -A, --sort-by and --sum', () => {
  const pods = [
    { metadata: { name: 'web', namespace: 'b' }, containers: [{ name: 'app', usage: { cpu: '100m', memory: '10Mi' } }, { name: 'sidecar', usage: { cpu: '300m', memory: '1Mi' } }] },
    { metadata: { name: 'db', namespace: 'a' }, containers: [{ name: 'db', usage: { cpu: '1n', memory: '20Mi' } }] },
  ];
  assert.equal(
    topPodsTable(pods, { containers: false, withNamespace: false, noHeaders: false, sortBy: '', sum: false }),
    ['NAME   CPU(cores)   MEMORY(bytes)   ', 'db     1m           20Mi            ', 'web    400m         11Mi            ', ''].join('\n'),
  );
  assert.equal(
    topPodsTable(pods, { containers: true, withNamespace: true, noHeaders: false, sortBy: 'cpu', sum: false }),
    [
      'NAMESPACE   POD   NAME      CPU(cores)   MEMORY(bytes)   ',
      'b           web   sidecar   300m         1Mi             ',
      'b           web   app       100m         10Mi            ',
      'a           db    db        1m           20Mi            ',
      '',
    ].join('\n'),
  );
  assert.equal(
    topPodsTable(pods, { containers: false, withNamespace: false, noHeaders: false, sortBy: 'memory', sum: true }),
    [
      'NAME   CPU(cores)   MEMORY(bytes)   ',
      'db     1m           20Mi            ',
      'web    400m         11Mi            ',
      '       ________     ________        ',
      '       401m         31Mi            ',
      '',
    ].join('\n'),
  );
});

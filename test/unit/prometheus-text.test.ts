import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrometheusText, PromParseError } from '../../src/api/metrics/prometheus-text.js';

test('Prometheus text: samples with labels (escapes included), special values and timestamps; comments skipped', () => {
  const text = [
    '# HELP http_requests_total The total number of HTTP requests.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    'metric_without_labels 12.47',
    'rpc_duration_seconds_bucket{le="+Inf"} +Inf',
    'nan_metric NaN',
    '',
  ].join('\n');
  const samples = parsePrometheusText(text);
  assert.deepEqual(samples[0], { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestamp: 1395066363000 });
  assert.deepEqual(samples[1].labels, { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
  assert.equal(samples[1].value, 1458255915);
  assert.deepEqual(samples[2], { name: 'metric_without_labels', labels: {}, value: 12.47 });
  assert.equal(samples[3].value, Infinity);
  assert.ok(Number.isNaN(samples[4].value));
});

test('Prometheus text: malformed lines are refused with the line number', () => {
  for (const [text, pattern] of [
    ['ok 1\n{a="b"} 1', /line 2: a metric name is expected/],
    ['m{a="b} 1', /not closed/],
    ['m{a=b} 1', /label a needs ="value"/],
    ['m abc', /"abc" is not a number/],
    ['m', /expected a value/],
    ['# TYPE m gauges', /unknown metric type gauges/],
    ['m 1 1.5', /is not a timestamp/],
  ] as const) {
    assert.throws(() => parsePrometheusText(text), (err: Error) => err instanceof PromParseError && pattern.test(err.message), text);
  }
});

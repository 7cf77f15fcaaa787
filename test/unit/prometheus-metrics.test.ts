// The components' Prometheus metrics that need no server: request labels and work queue figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'prom-client';
import { requestLabels } from '../../src/apiserver/http/request-metrics.js';
import { WorkQueue } from '../../src/api/work-queue.js';
import { parsePrometheusText } from '../../src/api/metrics/prometheus-text.js';

const req = (method: string, contentType = 'application/json') => ({ method, headers: { 'content-type': contentType } });
const resource = (verb: string, more: object = {}) => ({ resourceRequest: true as const, verb, apiGroup: 'apps', resource: 'deployments', ...more });

test("request labels: Kubernetes' verbs and scopes", () => {
  const q = new URLSearchParams();
  assert.deepEqual(requestLabels(req('GET'), q, resource('list', { namespace: 'default' }), 'v1'), {
    verb: 'LIST', dry_run: '', group: 'apps', version: 'v1', resource: 'deployments', subresource: '', scope: 'namespace', component: 'apiserver',
  });
  assert.equal(requestLabels(req('GET'), q, resource('list'), 'v1').scope, 'cluster');
  assert.equal(requestLabels(req('GET'), q, resource('get', { namespace: 'a', name: 'x' }), 'v1').scope, 'resource');
  assert.equal(requestLabels(req('GET'), q, resource('watch'), 'v1').verb, 'WATCH');
  assert.equal(requestLabels(req('POST'), q, resource('create', { namespace: 'a' }), 'v1').verb, 'POST');
  assert.equal(requestLabels(req('PATCH', 'application/apply-patch+yaml'), q, resource('patch', { name: 'x' }), 'v1').verb, 'APPLY');
  assert.equal(requestLabels(req('PATCH', 'application/merge-patch+json'), q, resource('patch', { name: 'x' }), 'v1').verb, 'PATCH');
  assert.equal(requestLabels(req('DELETE'), q, resource('deletecollection'), 'v1').verb, 'DELETE');
  assert.equal(requestLabels(req('GET'), q, resource('create', { resource: 'pods', subresource: 'exec', name: 'p' }), 'v1').verb, 'CONNECT');
  assert.equal(requestLabels(req('POST'), new URLSearchParams('dryRun=All'), resource('create'), 'v1').dry_run, 'All');
  assert.deepEqual(requestLabels(req('GET'), q, { resourceRequest: false, verb: 'get', path: '/version' }, ''), {
    verb: 'GET', dry_run: '', group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver',
  });
});

test('a named work queue reports adds, retries, depth and durations under its name', async () => {
  let failOnce = true;
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  const q = new WorkQueue(
    async (key) => {
      if (key === 'slow') await blocked;
      if (key === 'flaky' && failOnce) {
        failOnce = false;
        throw new Error('try again');
      }
    },
    () => {},
    { name: 'unit_test_queue', workers: 1, baseDelayMs: 1 },
  );
  const figures = async () => {
    const samples = parsePrometheusText(await register.metrics()).filter((s) => s.labels.name === 'unit_test_queue');
    return (name: string) => samples.find((s) => s.name === name && !s.labels.le)?.value;
  };
  q.add('slow');
  q.add('a');
  q.add('b');
  let f = await figures();
  assert.equal(f('workqueue_adds_total'), 3);
  assert.equal(f('workqueue_depth'), 2, 'one key is being processed, two wait');
  await new Promise((r) => setTimeout(r, 20));
  assert.ok((await figures())('workqueue_longest_running_processor_seconds')! >= 0.015);
  release();
  q.add('flaky');
  await new Promise((r) => setTimeout(r, 50));
  f = await figures();
  assert.equal(f('workqueue_retries_total'), 1);
  assert.equal(f('workqueue_depth'), 0);
  assert.equal(f('workqueue_work_duration_seconds_count'), 5, 'slow, a, b, flaky twice');
  assert.equal(f('workqueue_longest_running_processor_seconds'), 0);
  q.stop();
});

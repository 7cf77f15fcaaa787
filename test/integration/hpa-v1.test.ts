// autoscaling/v1 HorizontalPodAutoscalers beside v2 on a control plane without nodes: the real
// `kubectl autoscale` (which posts v1) works, and the object is one object in two versions: stored
// in v2, served in v1 with targetCPUUtilizationPercentage and the annotations Kubernetes puts what
// v1 cannot say in; lists, tables, protobuf and patches in v1; v1's refusals name what is wrong.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/test-cluster.js';
import { decodeObject, PROTOBUF_MEDIA_TYPE } from '../../src/api/protobuf/envelope.js';

const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';

describe('autoscaling/v1 HorizontalPodAutoscalers', () => {
  const c = new TestCluster();
  before(() => c.up());
  after(() => c.down());

  test('kubectl autoscale posts v1; v2 reads the cpu target as a Resource metric; get hpa shows it', async () => {
    const created = await c.kubectl(['create', 'deployment', 'web', '--image=busybox:1.35', '--', 'sleep', '3600']);
    assert.equal(created.code, 0, created.stderr);
    const autoscale = await c.kubectl(['autoscale', 'deployment/web', '--cpu-percent=50', '--min=1', '--max=5']);
    assert.equal(autoscale.code, 0, autoscale.stderr);
    assert.equal(autoscale.stdout, 'horizontalpodautoscaler.autoscaling/web autoscaled\n');

    const v2 = (await c.api('GET', `${V2}/web`)).body;
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    const v1 = (await c.api('GET', `${V1}/web`)).body;
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.deepEqual(v1.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
    assert.equal(v1.metadata.resourceVersion, v2.metadata.resourceVersion);

    const get = await c.kubectl(['get', 'hpa', 'web', '--no-headers']);
    assert.match(get.stdout, /^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+\d+\s+\d+s\n$/);
    // The table asked of v1 prints what v2 says.
    const table = (await c.api('GET', V1, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body;
    assert.equal(table.rows[0].cells[2], 'cpu: <unknown>/50%');
  });

  test('lists, protobuf and patches in v1; what v1 cannot say is kept in its annotations', async () => {
    const list = (await c.api('GET', V1)).body;
    assert.equal(list.kind, 'HorizontalPodAutoscalerList');
    assert.equal(list.apiVersion, 'autoscaling/v1');
    assert.deepEqual(list.items.map((i: any) => i.apiVersion), ['autoscaling/v1']);
    const proto = await c.api('GET', `${V1}/web`, undefined, { Accept: PROTOBUF_MEDIA_TYPE });
    assert.equal(proto.contentType, PROTOBUF_MEDIA_TYPE);
    const decoded = decodeObject(proto.raw);
    assert.equal(decoded.apiVersion, 'autoscaling/v1');
    assert.equal(decoded.spec.targetCPUUtilizationPercentage, 50);

    const patched = await c.api('PATCH', `${V1}/web`, { spec: { targetCPUUtilizationPercentage: 70 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.spec.targetCPUUtilizationPercentage, 70);
    assert.equal((await c.api('GET', `${V2}/web`)).body.spec.metrics[0].resource.target.averageUtilization, 70);

    // A memory metric and a behavior, given in v2, ride along in v1's annotations and survive a v1 update.
    const v2 = (await c.api('GET', `${V2}/web`)).body;
    v2.spec.metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } });
    v2.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 30 } };
    assert.equal((await c.api('PUT', `${V2}/web`, v2)).status, 200);
    const v1 = (await c.api('GET', `${V1}/web`)).body;
    assert.deepEqual(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']), [{ type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } }]);
    assert.equal(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/behavior']).scaleDown.stabilizationWindowSeconds, 30);
    v1.spec.maxReplicas = 7;
    const updated = await c.api('PUT', `${V1}/web`, v1);
    assert.equal(updated.status, 200, updated.text);
    const after = (await c.api('GET', `${V2}/web`)).body;
    assert.equal(after.spec.maxReplicas, 7);
    assert.deepEqual(after.spec.metrics.map((m: any) => m.resource.name), ['cpu', 'memory']);
    assert.equal(after.spec.behavior.scaleDown.stabilizationWindowSeconds, 30);
    assert.equal(after.metadata.annotations, undefined, 'the annotations are v1\'s only');
  });

  test('v1 refuses v2\'s fields and an invalid target, naming them; nothing is stored', async () => {
    const base = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 2 } };
    const unknown = await c.api('POST', V1, { ...base, metadata: { name: 'bad1' }, spec: { ...base.spec, metrics: [] } });
    assert.equal(unknown.status, 422, unknown.text);
    assert.match(unknown.body.message, /unknown field "spec\.metrics"/);
    const zero = await c.api('POST', V1, { ...base, metadata: { name: 'bad2' }, spec: { ...base.spec, targetCPUUtilizationPercentage: 0 } });
    assert.equal(zero.status, 422, zero.text);
    assert.match(zero.body.message, /spec\.metrics\[0\]\.resource\.target\.averageUtilization: Invalid value: 0: must be greater than 0/);
    const names = (await c.api('GET', V2)).body.items.map((i: any) => i.metadata.name);
    assert.deepEqual(names, ['web']);
    // Deleted through v1, gone in v2.
    assert.equal((await c.api('DELETE', `${V1}/web`)).status, 200);
    assert.equal((await c.api('GET', `${V2}/web`)).status, 404);
  });
});

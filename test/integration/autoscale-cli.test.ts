// kctl autoscale against a control plane (no nodes): the HPA they build, the
// errors, and `get hpa`'s columns before any figures exist.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/test-cluster.js';

describe('autoscale', () => {
  const c = new TestCluster();

  before(async () => {
    await c.up([]);
    const r = await c.kctl(['create', 'deployment', 'web', '--image=busybox']);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await c.down();
  });

  test('kctl autoscale creates an autoscaling/v2 HPA for the deployment; get hpa shows its columns', async () => {
    const r = await c.kctl(['autoscale', 'deployment/web', '--cpu-percent=50', '--min=1', '--max=5']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'horizontalpodautoscaler.autoscaling/web autoscaled\n');
    const hpa = (await c.api('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).body;
    assert.deepEqual(hpa.spec, {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    const get = await c.kctl(['get', 'hpa']);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
    assert.match(get.stdout, /\nweb\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+\d+\s+\d+s\n/);
  });

  test('bad flags and unscalable kinds fail and store nothing', async () => {
    const noMax = await c.kctl(['autoscale', 'deployment/web', '--name=x']);
    assert.equal(noMax.code, 1);
    assert.equal(noMax.stderr, 'error: --max=MAXPODS is required and must be at least 1, max: -1\n');
    const inverted = await c.kctl(['autoscale', 'deployment/web', '--name=x', '--min=4', '--max=2']);
    assert.equal(inverted.stderr, 'error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 4\n');
    await c.kctl(['create', 'configmap', 'cm']);
    const cm = await c.kctl(['autoscale', 'configmap/cm', '--max=2']);
    assert.equal(cm.code, 1);
    assert.match(cm.stderr, /^error: cannot autoscale a ConfigMap/);
    assert.equal((await c.api('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/x')).status, 404);
    assert.equal((await c.api('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/cm')).status, 404);
  });
});

// A HorizontalPodAutoscaler on real containers: `kctl cluster up --nodes 1` with a 1 s collection
// interval and a 2 s sync period; a Deployment whose busybox burns CPU (50m requested, 200m limit)
// scales up, then back down to its minimum after the load stops (the template changes to an idle
// command), with the HPA's own scale-down window shortened to 5 s. useNodeCluster brings the
// cluster down after the tests, whatever happened.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';
import { deployment } from '../helpers/builders.js';

const DEPLOYMENT = '/apis/apps/v1/namespaces/default/deployments/burn';
const HPA = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/burn';

describe('horizontal pod autoscaling', () => {
  const { c } = useNodeCluster(['--nodes', '1', '--metric-resolution', '1s', '--horizontal-pod-autoscaler-sync-period', '2s']);

  test('a CPU-burning deployment scales up, and back down once the load stops', async () => {
    await c.create('/apis/apps/v1/namespaces/default/deployments', deployment('burn', { container: { name: 'main', command: ['sh', '-c', 'while :; do :; done'], resources: { requests: { cpu: '50m' }, limits: { cpu: '200m' } } }, spec: { terminationGracePeriodSeconds: 1 } }));
    await c.create('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'burn' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 5 } },
      },
    });
    const scaledTo = await until('the HPA scales the deployment up', async () => {
      const d = (await c.api('GET', DEPLOYMENT)).body;
      return d.spec.replicas > 1 ? d.spec.replicas : undefined;
    }, 60_000);
    assert.ok(scaledTo <= 3, `scaled to ${scaledTo}, max 3`);
    const hpa = (await c.api('GET', HPA)).body;
    assert.ok(hpa.status.currentMetrics[0].resource.current.averageUtilization > 55, JSON.stringify(hpa.status));
    assert.ok(hpa.status.lastScaleTime);
    const events = (await c.api('GET', '/api/v1/namespaces/default/events')).body.items.filter((e: any) => e.reason === 'SuccessfulRescale');
    assert.match(events[0]?.message ?? '', /^New size: [23]; reason: cpu resource utilization \(percentage of request\) above target$/);
    assert.equal(events[0].involvedObject.kind, 'HorizontalPodAutoscaler');
    const get = await c.kctl(['get', 'hpa', 'burn', '--no-headers']);
    assert.match(get.stdout, /^burn\s+Deployment\/burn\s+cpu: \d+%\/50%\s+1\s+3\s+\d\s+\d+s\n$/);
    // The real kubectl prints the same TARGETS; autoscaling/v1 serves the figure as currentCPUUtilizationPercentage.
    const kubectl = await c.kubectl(['get', 'hpa', 'burn', '--no-headers']);
    assert.match(kubectl.stdout, /^burn\s+Deployment\/burn\s+cpu: \d+%\/50%\s+1\s+3\s+\d\s+\d+s\n$/);
    const v1 = (await c.api('GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/burn')).body;
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
    assert.ok(v1.status.currentCPUUtilizationPercentage > 55, JSON.stringify(v1.status));

    // The load stops: every pod is replaced by an idle one.
    const patched = await c.kctl(['patch', 'deployment', 'burn', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/command', value: ['sh', '-c', 'sleep 3600'] }])]);
    assert.equal(patched.code, 0, patched.stderr);
    await until('the HPA scales the deployment back to 1', async () => ((await c.api('GET', DEPLOYMENT)).body.spec.replicas === 1 ? true : undefined), 120_000);
    const down = (await c.api('GET', '/api/v1/namespaces/default/events')).body.items.filter((e: any) => e.reason === 'SuccessfulRescale').map((e: any) => e.message);
    assert.ok(down.includes('New size: 1; reason: All metrics below target'), down.join('; '));
  });
});

// PodDisruptionBudgets against real node agents: the disruption controller counts a Deployment's
// ready pods, the eviction subresource refuses what would break the budget with Kubernetes' 429,
// and `drain` (kctl and the real kubectl) keeps retrying until its timeout, the pods staying put;
// once the budget allows one disruption at a time, the drain completes as replacements come up on
// the other node.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlAvailable } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';

const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

describe('disruption budgets and drain', () => {
  const { c } = useNodeCluster(['--nodes', '2']);
  const kubectl = kubectlAvailable();

  const webPods = async () => ((await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items as any[]).filter((p) => !p.metadata.deletionTimestamp);
  const ready = (p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True');
  const budget = async () => (await c.api('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).body;

  test('a drain stops at the budget, retrying until its timeout; once the budget allows, it completes', async () => {
    // Both pods on node-1: node-2 is cordoned while they are placed.
    assert.equal((await c.kctl(['cordon', 'node-2'])).code, 0);
    await c.create('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
        },
      },
    });
    await until('both web pods are ready on node-1', async () => {
      const pods = await webPods();
      return pods.length === 2 && pods.every((p) => ready(p) && p.spec.nodeName === 'node-1');
    });
    assert.equal((await c.kctl(['uncordon', 'node-2'])).code, 0);
    let r = await c.kctl(['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=2']);
    assert.equal(r.stdout, 'poddisruptionbudget.policy/web created\n', r.stderr);
    const counted = await until('the disruption controller counted the pods', async () => {
      const b = await budget();
      return b.status?.expectedPods === 2 && b.status.currentHealthy === 2 ? b : undefined;
    });
    assert.equal(counted.status.desiredHealthy, 2);
    assert.equal(counted.status.disruptionsAllowed, 0);
    assert.equal(counted.status.observedGeneration, 1);
    assert.deepEqual(
      counted.status.conditions.map((x: any) => [x.type, x.status, x.reason]),
      [['DisruptionAllowed', 'False', 'InsufficientPods']],
    );

    r = await c.kctl(['get', 'pdb']);
    assert.match(r.stdout, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb\s+2\s+N\/A\s+0\s+\d+s\n$/, r.stdout);
    r = await c.kctl(['describe', 'pdb', 'web']);
    assert.match(r.stdout, /^Name:\s+web\nNamespace:\s+default\nMin available:\s+2\nSelector:\s+app=web\nStatus:\n    Allowed disruptions:\s+0\n    Current:\s+2\n    Desired:\s+2\n    Total:\s+2\n/, r.stdout);

    // The eviction subresource answers 429 with the budget's cause.
    const [first] = await webPods();
    const ev = await c.api('POST', `/api/v1/namespaces/default/pods/${first.metadata.name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: first.metadata.name } });
    assert.equal(ev.status, 429, ev.text);
    assert.deepEqual(ev.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: REFUSED,
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });

    r = await c.kctl(['drain', 'node-1', '--grace-period', '1', '--timeout', '7s']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const retries = r.stderr.split('\n').filter((l) => l.includes('(will retry after 5s)'));
    assert.ok(retries.length >= 2, r.stderr);
    for (const line of retries) assert.match(line, new RegExp(`^error when evicting pods/"web-[a-z0-9-]+" -n "default" \\(will retry after 5s\\): ${REFUSED.replace(/[.]/g, '\\.')}$`));
    assert.match(r.stderr, /global timeout reached: 7s/);
    let pods = await webPods();
    assert.deepEqual(pods.map((p) => p.spec.nodeName), ['node-1', 'node-1'], 'the pods stay');

    if (kubectl) {
      r = await c.kubectl(['drain', 'node-1', '--grace-period', '1', '--timeout', '7s']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`error when evicting pods/"web-[a-z0-9-]+" -n "default" \\(will retry after 5s\\): ${REFUSED.replace(/[.]/g, '\\.')}`), r.stderr);
      pods = await webPods();
      assert.equal(pods.filter((p) => p.spec.nodeName === 'node-1').length, 2, 'kubectl evicted nothing either');
    }

    // One disruption at a time: the second pod goes once the first one's replacement is ready on node-2.
    r = await c.kctl(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    assert.equal(r.code, 0, r.stderr);
    r = await c.kctl(['drain', 'node-1', '--grace-period', '1', '--timeout', '120s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /node\/node-1 drained\n$/);
    pods = await until('two ready web pods on node-2', async () => {
      const p = await webPods();
      return p.length === 2 && p.every((x) => ready(x) && x.spec.nodeName === 'node-2') ? p : undefined;
    });
    assert.equal(pods.length, 2);
    await until('the budget allows one disruption again', async () => (await budget()).status?.disruptionsAllowed === 1);
    assert.equal((await c.kctl(['uncordon', 'node-1'])).code, 0);
  });

  test('a pod under two budgets: 500 with Kubernetes\' message, the pod stays', async () => {
    let r = await c.kctl(['create', 'poddisruptionbudget', 'web-too', '--selector=app=web', '--max-unavailable=1']);
    assert.equal(r.code, 0, r.stderr);
    const [pod] = await webPods();
    const ev = await c.api('POST', `/api/v1/namespaces/default/pods/${pod.metadata.name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata.name } });
    assert.equal(ev.status, 500, ev.text);
    assert.equal(ev.body.message, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    assert.ok((await webPods()).some((p) => p.metadata.name === pod.metadata.name));
    r = await c.kctl(['delete', 'pdb', 'web-too', 'web']);
    assert.equal(r.code, 0, r.stderr);
  });
});

// The cluster autoscaler's hollow-node provider: a group of hollow nodes (no containers) grows to
// its maximum for a Deployment that needs more, tells the pods left over that the group is at its
// maximum, and shrinks to its minimum (the one node `cluster up` started) once the Deployment is gone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '../helpers/until.js';
import { TestCluster } from '../helpers/test-cluster.js';

const GROUP_LABEL = 'node.kctl.io/node-group';

describe('cluster autoscaler (hollow nodes)', () => {
  const c = new TestCluster();
  before(() => c.up(['--node-group', 'hollow=1:4:hollow,cpu=1,memory=1Gi,pods=10', '--scale-down-unneeded-time', '3s', '--scale-down-delay-after-add', '0s']));
  after(() => c.down());

  const groupNodes = async () => (await c.api('GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(GROUP_LABEL + '=hollow')}`)).body.items as any[];
  const pods = async () => (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dwide')).body.items as any[];
  const state = () => JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8')) as { nodes: { name: string; pid: number; group?: string }[] };

  test('grows to its maximum, tells the pods left over why, and shrinks to its minimum when they go', async () => {
    // cluster up waited for the minimum's node, named as the hollow node registers (PREFIX-0).
    const first = await groupNodes();
    assert.equal(first.length, 1);
    assert.deepEqual(state().nodes.map((n) => n.name), [first[0].metadata.name]);
    await c.create('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'wide' },
      spec: {
        replicas: 10,
        selector: { matchLabels: { app: 'wide' } },
        template: { metadata: { labels: { app: 'wide' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35', resources: { requests: { cpu: '400m' } } }] } },
      },
    });
    // Two 400m pods per 1-cpu node: 8 run on the group's 4 nodes, 2 wait.
    await until('8 pods run', async () => ((await pods()).filter((p) => p.status?.phase === 'Running').length === 8 ? true : undefined), 90_000);
    const nodes = await groupNodes();
    assert.equal(nodes.length, 4);
    assert.ok(nodes.every((n) => n.status.allocatable.cpu === '1'), JSON.stringify(nodes.map((n) => n.status.allocatable)));
    assert.equal(state().nodes.filter((n) => n.group === 'hollow').length, 4);
    const events = async () => ((await c.api('GET', '/api/v1/namespaces/default/events')).body.items as any[]);
    const told = await until('a waiting pod is told the group is at its maximum', async () => (await events()).find((e) => e.reason === 'NotTriggerScaleUp'), 30_000);
    assert.equal(told.message, "pod didn't trigger scale-up: 1 max node group size reached");
    assert.ok((await events()).some((e) => e.reason === 'TriggeredScaleUp' && /^pod triggered scale-up: \[\{hollow \d->\d \(max: 4\)\}\]$/.test(e.message)));

    await c.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/wide');
    await until('the group is back to its minimum', async () => ((await groupNodes()).length === 1 ? true : undefined), 90_000);
    assert.equal(state().nodes.length, 1);
  });
});

// The cluster autoscaler's simulated-machine provider: `cluster up --machines 1` with a group of
// machine nodes at 0; a Deployment that only the group's nodes may run (nodeSelector on the
// group's label) makes the autoscaler bring up a new machine (its own namespace, address and
// engine), whose agent joins and runs the pod; once the Deployment is gone the machine's node is
// unneeded, removed and its machine switched off. useMachineCluster checks after cluster down that
// nothing of the machines is left.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMachineCluster } from '../helpers/machine-cluster.js';
import { until } from '../helpers/until.js';

const GROUP_LABEL = 'node.kctl.io/node-group';

describe('cluster autoscaler (simulated machines)', { skip: process.getuid?.() !== 0 && 'machines need root' }, () => {
  const c = useMachineCluster(['--node-group', 'm=0:1:machine,cpu=1,memory=1Gi,pods=10', '--scale-down-unneeded-time', '5s', '--scale-down-delay-after-add', '0s', '--timeout', '120'], 1);
  const machines = () => (JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8')).machines.list as { name: string }[]).map((m) => m.name);
  const events = async (reason: string) => ((await c.api('GET', '/api/v1/namespaces/default/events')).body.items as any[]).filter((e) => e.reason === reason);

  test('a pod only the group may run brings up a machine that runs it; the idle machine goes', async () => {
    assert.deepEqual(machines(), ['node-1']);
    await c.create('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'grouped' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'grouped' } },
        template: {
          metadata: { labels: { app: 'grouped' } },
          spec: { terminationGracePeriodSeconds: 0, nodeSelector: { [GROUP_LABEL]: 'm' }, containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'], resources: { requests: { cpu: '100m' } } }] },
        },
      },
    });
    const triggered = await until('the pod triggers a scale-up', async () => (await events('TriggeredScaleUp'))[0], 60_000);
    assert.equal(triggered.message, 'pod triggered scale-up: [{m 0->1 (max: 1)}]');
    const pod = await until('the pod runs on the new machine', async () => {
      const pods = (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dgrouped')).body.items as any[];
      return pods.find((p) => p.status?.phase === 'Running');
    }, 180_000);
    const node = (await c.api('GET', `/api/v1/nodes/${pod.spec.nodeName}`)).body;
    assert.equal(node.metadata.labels[GROUP_LABEL], 'm');
    assert.equal(node.status.allocatable.cpu, '1');
    assert.ok(machines().includes(pod.spec.nodeName), `${pod.spec.nodeName} is a machine of the cluster: ${machines()}`);

    await c.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/grouped');
    const removed = await until('the idle machine node is removed', async () => (await events('ScaleDown')).find((e) => e.message === 'node removed by cluster autoscaler'), 120_000);
    assert.equal(removed.involvedObject.name, pod.spec.nodeName);
    assert.equal((await c.api('GET', `/api/v1/nodes/${pod.spec.nodeName}`)).status, 404);
    assert.deepEqual(machines(), ['node-1']);
  });
});

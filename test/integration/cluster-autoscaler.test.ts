// The cluster autoscaler on real node agents: `kctl cluster up --node-group workers=1:3` starts
// the group's one node; pods that do not fit make the autoscaler add a node (the local-agents
// provider runs `kctl cluster add-nodes`), a pod no new node could hold is told why, and once the
// load shrinks an idle node is drained through evictions, stopped and deleted after the
// (shortened) unneeded time. useNodeCluster brings the cluster down after the tests, whatever happened.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '../helpers/until.js';
import { parse } from 'yaml';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { deployment } from '../helpers/builders.js';

const GROUP_LABEL = 'node.kctl.io/node-group';

describe('cluster autoscaler (node agents)', () => {
  const { c, docker } = useNodeCluster([
    '--node-group', 'workers=1:3:agent,cpu=1,memory=1Gi,pods=10',
    '--scale-down-unneeded-time', '15s',
    '--scale-down-delay-after-add', '0s',
    '--timeout', '60',
  ]);

  const groupNodes = async () => (await c.api('GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(GROUP_LABEL + '=workers')}`)).body.items as any[];
  const events = async (reason: string) => ((await c.api('GET', '/api/v1/namespaces/default/events')).body.items as any[]).filter((e) => e.reason === reason);
  const runningPods = async (app: string) => ((await c.api('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).body.items as any[]).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);

  test('pending pods make it add a node; a pod too big for any new node is told why', async () => {
    assert.equal((await groupNodes()).length, 1);
    await c.create('/apis/apps/v1/namespaces/default/deployments', deployment('big', { replicas: 3, container: { name: 'main', command: ['sleep', '3600'], resources: { requests: { cpu: '400m' } } }, spec: { terminationGracePeriodSeconds: 0 } }));
    const triggered = await until('a pod triggers a scale-up', async () => (await events('TriggeredScaleUp'))[0], 30_000);
    assert.equal(triggered.message, 'pod triggered scale-up: [{workers 1->2 (max: 3)}]');
    assert.equal(triggered.source.component, 'cluster-autoscaler');
    await until('all three pods run', async () => ((await runningPods('big')).length === 3 ? true : undefined), 60_000);
    const nodes = await groupNodes();
    assert.equal(nodes.length, 2);
    const listed = await c.kctl(['get', 'nodes', '-l', GROUP_LABEL, '--no-headers']);
    assert.equal(listed.stdout.trim().split('\n').length, 2, listed.stdout);

    const huge = await c.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge' }, spec: { containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '60'], resources: { requests: { cpu: '2' } } }] } });
    assert.ok(huge);
    const told = await until('the huge pod is told it triggers nothing', async () => (await events('NotTriggerScaleUp')).find((e) => e.involvedObject.name === 'huge'), 30_000);
    assert.equal(told.message, "pod didn't trigger scale-up: 1 Insufficient cpu");

    const status = (await c.api('GET', '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status')).body;
    const doc = parse(status.data.status);
    assert.equal(doc.nodeGroups[0].name, 'workers');
    assert.equal(doc.nodeGroups[0].health.minSize, 1);
    assert.equal(doc.nodeGroups[0].health.maxSize, 3);
    await c.api('DELETE', '/api/v1/namespaces/default/pods/huge');
  });

  test('an idle node is drained through evictions, stopped and deleted', async () => {
    await c.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/big');
    await until('the big pods are gone', async () => ((await runningPods('big')).length === 0 ? true : undefined), 30_000);
    // One 300m pod per node (the scheduler spreads them, the nodes being empty): each node is 30%
    // used, so one can go, its pod evicted to the other, well after the two pods started.
    await c.create('/apis/apps/v1/namespaces/default/deployments', deployment('small', { replicas: 2, container: { name: 'main', command: ['sleep', '3600'], resources: { requests: { cpu: '300m' } } }, spec: { terminationGracePeriodSeconds: 0 } }));
    const before = await groupNodes();
    const removed = await until('a node is removed', async () => (await events('ScaleDown')).find((e) => e.involvedObject.kind === 'Node' && e.message === 'node removed by cluster autoscaler'), 90_000);
    const gone = removed.involvedObject.name;
    assert.ok(before.some((n) => n.metadata.name === gone));
    assert.ok((await events('ScaleDown')).some((e) => e.involvedObject.name === gone && e.message === 'marked the node as toBeDeleted/unschedulable'));
    const left = await groupNodes();
    assert.equal(left.length, 1);
    assert.notEqual(left[0].metadata.name, gone);
    const small = await until('both small pods run on the node left', async () => {
      const pods = await runningPods('small');
      return pods.length === 2 && pods.every((p) => p.spec.nodeName === left[0].metadata.name) ? pods : undefined;
    }, 60_000);
    assert.equal(small.length, 2);
    // Its pod was evicted (not deleted behind its controller's back), and its ReplicaSet made another.
    const evicted = (await events('ScaleDown')).filter((e) => e.involvedObject.kind === 'Pod');
    assert.equal(evicted.length, 1);
    assert.equal(evicted[0].message, 'deleting pod for node scale down');
    const state = JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8'));
    assert.equal(state.nodes.some((n: any) => n.name === gone), false);
    const containers = await docker.listContainers({ all: true, filters: { label: [`kctl.node=${gone}`] } });
    assert.equal(containers.length, 0);
  });
});

// Pod priority and preemption on a real node agent: PriorityClasses resolve into pods' priority at
// admission (an unknown class is refused), a pod that fits nowhere evicts a lower-priority pod
// from the full node (its container stopped, the pod deleted with a Preempted event, the
// preemptor nominated there and then running), and preemptionPolicy Never waits instead.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';

const PCS = '/apis/scheduling.k8s.io/v1/priorityclasses';
const PODS = '/api/v1/namespaces/default/pods';

describe('priority and preemption on a node', () => {
  const { c } = useNodeCluster(['--nodes', '1']);

  function pod(name: string, priorityClassName: string | undefined, milliCPU: number): object {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        ...(priorityClassName ? { priorityClassName } : {}),
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'busybox:1.35', command: ['sleep', '3600'], resources: { requests: { cpu: `${milliCPU}m` } } }],
      },
    };
  }
  const pending = (p: any) => p.status?.conditions?.some((x: any) => x.type === 'PodScheduled' && x.status === 'False');

  test('a high-priority pod preempts a low-priority one on a full node; Never waits; unknown classes are refused', async () => {
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0];
    const cpu = String(node.status.allocatable.cpu);
    const allocatable = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    // Each pod takes 60% of the node: two never fit together.
    const share = Math.floor(allocatable * 0.6);

    const builtIn = await c.kctl(['get', 'priorityclasses']);
    assert.equal(builtIn.code, 0, builtIn.stderr);
    assert.match(builtIn.stdout, /system-node-critical\s+2000001000\s+false/);
    for (const [name, value, policy] of [['low', 10, undefined], ['high', 1000, undefined], ['polite', 5000, 'Never']] as const) {
      await c.create(PCS, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...(policy ? { preemptionPolicy: policy } : {}) });
    }
    const unknown = await c.api('POST', PODS, pod('stray', 'nonesuch', 10));
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.message, 'pods "stray" is forbidden: no PriorityClass with name nonesuch was found');

    const low = await c.createPod(pod('low', 'low', share));
    assert.equal(low.spec.priority, 10);
    assert.equal(low.spec.preemptionPolicy, 'PreemptLowerPriority');
    const running = await c.waitForPod('low', (p) => p.status?.phase === 'Running', 60_000);

    // preemptionPolicy Never: it waits, however high its priority, and says why.
    await c.createPod(pod('polite', 'polite', share));
    const waiting = await c.waitForPod('polite', pending, 30_000);
    assert.equal(waiting.status.conditions.find((x: any) => x.type === 'PodScheduled').message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    assert.equal((await c.api('DELETE', `${PODS}/polite`)).status, 200);
    await c.waitForPod('low', (p) => p.status?.phase === 'Running');

    const high = await c.createPod(pod('high', 'high', share));
    const nominated = await c.waitForPod('high', (p) => p.status?.nominatedNodeName === node.metadata.name || !!p.spec.nodeName, 30_000);
    assert.ok(nominated.status.nominatedNodeName === node.metadata.name || nominated.spec.nodeName === node.metadata.name);
    // The victim is deleted (its container stopped), and says by whom.
    const deadline = Date.now() + 60_000;
    while ((await c.api('GET', `${PODS}/low`)).status !== 404) {
      if (Date.now() > deadline) assert.fail('the low-priority pod was not deleted');
      await new Promise((r) => setTimeout(r, 250));
    }
    const events = (await c.api('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.uid%3D${running.metadata.uid}`)).body.items;
    const preempted = events.find((e: any) => e.reason === 'Preempted');
    assert.ok(preempted, JSON.stringify(events.map((e: any) => e.reason)));
    assert.equal(preempted.message, `Preempted by pod ${high.metadata.uid} on node ${node.metadata.name}`);
    assert.equal(preempted.source.component, 'default-scheduler');
    const placed = await c.waitForPod('high', (p) => p.status?.phase === 'Running', 60_000);
    assert.equal(placed.spec.nodeName, node.metadata.name);
    assert.equal((await c.api('DELETE', `${PODS}/high`)).status, 200);
  });
});

// Hollow nodes (`kctl-node --hollow-nodes N`): Nodes that register, stay Ready and run their pods
// without Docker, for measuring the control plane at scale; the real scheduler places pods on them,
// and their made-up usage reaches the metrics API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { TestCluster } from '../helpers/test-cluster.js';
import { Quantity } from '../../src/api/quantity.js';

describe('hollow nodes', () => {
  const c = new TestCluster();
  let fleet: ChildProcess | undefined;

  before(async () => {
    await c.up(['--metric-resolution', '1s']);
    fleet = await c.startHollowNodes('hollow', 5, ['--hollow-metrics', '--cpu', '1']);
  });
  after(async () => {
    fleet?.kill('SIGKILL');
    await c.down();
  });

  test('register Ready, take scheduled pods and report them Running, let deleted pods go', async () => {
    const deadline = Date.now() + 20_000;
    let ready = 0;
    while (ready < 5) {
      assert.ok(Date.now() < deadline, 'the hollow nodes did not all become Ready');
      const nodes = await c.api('GET', '/api/v1/nodes');
      ready = nodes.body.items.filter((n: any) => n.metadata.name.startsWith('hollow-') && n.status.conditions.some((x: any) => x.type === 'Ready' && x.status === 'True')).length;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (let i = 0; i < 6; i++) {
      await c.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `h${i}` }, spec: { containers: [{ name: 'c', image: 'busybox:1.35', resources: { requests: { cpu: '600m' } } }] } });
    }
    const nodesUsed = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const pod = await c.waitForPod(`h${i}`, (p) => p.status?.phase === 'Running');
      assert.equal(pod.status.containerStatuses[0].ready, true);
      nodesUsed.add(pod.spec.nodeName);
    }
    // 600m each on 1-CPU nodes: one per node, and the sixth fits nowhere.
    assert.equal(nodesUsed.size, 5);
    const sixth = await c.waitForPod('h5', (p) => p.status?.conditions?.some((x: any) => x.type === 'PodScheduled' && x.reason === 'Unschedulable'));
    assert.equal(sixth.status.conditions.find((x: any) => x.type === 'PodScheduled').message, '0/5 nodes are available: 5 Insufficient cpu. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.');
    const del = await c.kctl(['delete', 'pod', 'h0', '--timeout', '20s']);
    assert.equal(del.code, 0, del.stderr);
    // The freed node takes the pod that fit nowhere.
    await c.waitForPod('h5', (p) => p.status?.phase === 'Running');
  });

  test('report made-up usage to the metrics API: a tenth of the CPU request, or what the hollow-cpu annotation says', async () => {
    const usage = async (pod: string) => {
      const r = await c.api('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${pod}`);
      return r.status === 200 ? r.body.containers[0].usage : undefined;
    };
    const millicores = (q: string | undefined) => (q === undefined ? undefined : Number(Quantity.parse(q)!.milliValue()));
    const waitFor = async (pod: string, cpu: string) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const u = await usage(pod);
        if (millicores(u?.cpu) === millicores(cpu)) return { ...u, cpu };
        assert.ok(Date.now() < deadline, `${pod} never used ${cpu}: ${JSON.stringify(u)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    assert.deepEqual(await waitFor('h1', '60m'), { cpu: '60m', memory: '16Mi' });
    const annotated = await c.kctl(['annotate', 'pod', 'h1', 'kctl.io/hollow-cpu=750m', 'kctl.io/hollow-memory=300Mi']);
    assert.equal(annotated.code, 0, annotated.stderr);
    // The window that saw the change averages both rates; the one after is all 750m.
    assert.deepEqual(await waitFor('h1', '750m'), { cpu: '750m', memory: '300Mi' });
    const top = await c.kctl(['top', 'nodes', '--no-headers']);
    assert.equal(top.code, 0, top.stderr);
    const rows = top.stdout.trim().split('\n').map((l) => l.split(/\s+/));
    assert.equal(rows.filter((r) => r[0].startsWith('hollow-')).length, 5);
    assert.ok(rows.every((r) => /^\d+m$/.test(r[1]) && /^\d+%$/.test(r[2])), top.stdout);
  });
});

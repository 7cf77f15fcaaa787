// Hollow nodes (`kctl-node --hollow-nodes N`): Nodes that register, stay Ready and run their pods
// without Docker, for measuring the control plane at scale; the real scheduler places pods on them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, TestCluster } from '../helpers/test-cluster.js';

describe('hollow nodes', () => {
  const c = new TestCluster();
  let fleet: ChildProcess | undefined;

  before(async () => {
    await c.up();
    const token = await c.kctl(['token', 'create']);
    assert.equal(token.code, 0, token.stderr);
    const tokenFile = join(c.home, 'hollow-token');
    writeFileSync(tokenFile, token.stdout.trim());
    fleet = spawn(process.execPath, [join(REPO, 'bin/kctl-node'), '--name', 'hollow', '--hollow-nodes', '5', '--cpu', '1', '--server', c.server, '--token-file', tokenFile, '--ca-file', join(c.home, 'pki/ca.crt')], {
      stdio: 'ignore',
    });
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
    assert.equal(sixth.status.conditions.find((x: any) => x.type === 'PodScheduled').message, '0/5 nodes are available: 5 Insufficient cpu.');
    const del = await c.kctl(['delete', 'pod', 'h0', '--timeout', '20s']);
    assert.equal(del.code, 0, del.stderr);
    // The freed node takes the pod that fit nowhere.
    await c.waitForPod('h5', (p) => p.status?.phase === 'Running');
  });
});

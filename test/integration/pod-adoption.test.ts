// A node agent killed with SIGKILL and started again (`kctl cluster up` restarts dead agents)
// adopts the containers of its pods without restarting them, and removes the containers of pods
// deleted while it was away.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';

const sleeper = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
});

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a node agent killed and started again', () => {
  const { c, docker } = useNodeCluster(['--nodes', '1']);


  const containersOf = (pod: string) =>
    docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.name=${pod}`, `kctl.cluster=${c.server}`] } });

  test('adopts running pods without restarts and removes the containers of pods deleted meanwhile', async () => {
    await c.createPod(sleeper('keep'));
    await c.createPod(sleeper('vanish'));
    const before = await c.waitForPod('keep', (p) => p.status?.phase === 'Running');
    await c.waitForPod('vanish', (p) => p.status?.phase === 'Running');
    const idsBefore = (await containersOf('keep')).map((x) => x.Id).sort();

    const pid = c.agentPid('node-1');
    process.kill(pid, 'SIGKILL');
    await waitUntil('the agent is gone', async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    // Gone from the API at once (grace period 0): only Docker still knows the pod.
    const del = await c.api('DELETE', '/api/v1/namespaces/default/pods/vanish', { gracePeriodSeconds: 0 });
    assert.equal(del.status, 200, del.text);
    await waitUntil('the pod is gone from the API', async () => (await c.api('GET', '/api/v1/namespaces/default/pods/vanish')).status === 404);
    assert.equal((await containersOf('vanish')).length, 2, 'the dead agent cannot have removed anything');

    const up = await c.kctl(['cluster', 'up']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /Restarting node agents: node-1/);
    assert.notEqual(c.agentPid('node-1'), pid);

    await waitUntil('the vanished pod has no containers', async () => (await containersOf('vanish')).length === 0);
    const keep = await c.waitForPod('keep', (p) => p.status?.phase === 'Running');
    assert.deepEqual((await containersOf('keep')).map((x) => x.Id).sort(), idsBefore);
    assert.equal(keep.status.containerStatuses[0].restartCount, 0);
    assert.equal(keep.status.containerStatuses[0].state.running.startedAt, before.status.containerStatuses[0].state.running.startedAt);
    assert.equal(keep.status.podIP, before.status.podIP);
  });
});

// A restart of the Docker engine is survived: the node goes NotReady while the engine is away and
// Ready again after, and its pods run again (the agent sees the engine's event stream come back
// and syncs every pod). The engine is stopped with SIGTERM and started again by
// scripts/ensure-docker.sh, as the test set-up started it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';

const DOCKER_PIDFILE = '/var/run/docker.pid';

function engineRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function restartEngine(): Promise<void> {
  const pid = Number(readFileSync(DOCKER_PIDFILE, 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (engineRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`dockerd (pid ${pid}) did not stop within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const start = spawnSync('bash', [join(REPO, 'scripts/ensure-docker.sh')], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`could not start the Docker engine again: ${start.stderr}`);
}

const nodeReady = (node: any) => node?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;

describe('a Docker engine restart', () => {
  const { c, docker } = useNodeCluster(['--nodes', '1']);


  test('the node comes back Ready and its pod runs again', async () => {
    await c.createPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'survivor' },
      spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
    });
    await c.waitForPod('survivor', (p) => p.status?.phase === 'Running');
    await restartEngine();
    const pod = await c.waitForPod('survivor', (p) => p.status?.containerStatuses?.[0]?.ready === true && p.status.containerStatuses[0].restartCount >= 1, 60_000);
    assert.equal(pod.status.phase, 'Running');
    assert.match(pod.status.podIP, /^10\.244\./);
    const node = await c.api('GET', '/api/v1/nodes/node-1');
    assert.equal(nodeReady(node.body), 'True');
    // Still exactly one sandbox and the app's runs, all labelled for the pod.
    const containers = await docker.listContainers({ all: true, filters: { label: ['io.kubernetes.pod.name=survivor', `kctl.cluster=${c.server}`] } });
    assert.equal(containers.filter((x) => x.Labels['io.kubernetes.container.name'] === 'POD').length, 1);
  });
});

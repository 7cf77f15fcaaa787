// Pods on a real node agent: `kctl cluster up --nodes 1`, the real Docker engine, pods bound with
// spec.nodeName. useNodeCluster brings the cluster down after the tests, whatever happened.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { pod } from '../helpers/builders.js';

function podManifest(name: string, command: string[], restartPolicy = 'Always'): object {
  return pod(name, { node: 'node-1', spec: { restartPolicy }, container: { name: 'app', command } });
}

describe('pods on a node agent', () => {
  const { c, docker } = useNodeCluster(['--nodes', '1']);
  let cluster = '';

  before(async () => {
    cluster = c.server;
  });

  const createPod = (manifest: object) => c.createPod(manifest);
  const waitForPod = (name: string, done: (pod: any) => boolean) => c.waitForPod(name, done);

  const podContainers = (name: string) => docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.name=${name}`, `kctl.cluster=${cluster}`] } });

  test('a sleeping busybox pod runs, with a pod IP, READY 1/1', async () => {
    await createPod(podManifest('sleeper', ['sleep', '3600']));
    const pod = await waitForPod('sleeper', (p) => p.status?.phase === 'Running');
    assert.match(pod.status.podIP, /^10\.244\.\d+\.\d+$/);
    assert.equal(pod.status.hostIP, '127.0.0.1');
    assert.equal(pod.status.containerStatuses[0].ready, true);
    assert.ok(pod.status.conditions.some((x: any) => x.type === 'Ready' && x.status === 'True'));
    const get = await c.kctl(['get', 'pods', 'sleeper', '--no-headers']);
    assert.match(get.stdout, /^sleeper\s+1\/1\s+Running\s+0\s/);
    const containers = await podContainers('sleeper');
    assert.deepEqual(containers.map((x) => x.Labels['io.kubernetes.container.name']).sort(), ['POD', 'app']);
  });

  test('exit 3 with restartPolicy Never: Failed, exitCode 3, reason Error', async () => {
    await createPod(podManifest('fails', ['sh', '-c', 'exit 3'], 'Never'));
    const pod = await waitForPod('fails', (p) => p.status?.phase === 'Failed');
    const terminated = pod.status.containerStatuses[0].state.terminated;
    assert.equal(terminated.exitCode, 3);
    assert.equal(terminated.reason, 'Error');
    assert.equal(pod.status.containerStatuses[0].restartCount, 0);
  });

  test('kctl delete pod removes its containers', async () => {
    await createPod(podManifest('doomed', ['sleep', '3600']));
    await waitForPod('doomed', (p) => p.status?.phase === 'Running');
    const r = await c.kctl(['delete', 'pod', 'doomed', '--timeout', '30s']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await podContainers('doomed'), []);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/pods/doomed')).status, 404);
  });

  test('cluster down leaves no container or network with the cluster label', async () => {
    assert.ok((await docker.listContainers({ all: true, filters: { label: [`kctl.cluster=${cluster}`] } })).length > 0);
    const r = await c.kctl(['cluster', 'down']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: [`kctl.cluster=${cluster}`] } }), []);
    assert.deepEqual(await docker.listNetworks({ filters: { label: [`kctl.cluster=${cluster}`] } }), []);
  });
});

// Deleting a namespace deletes everything in it: its pods go through their graceful deletion on
// the node agent (containers stopped and removed) before the namespace itself goes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';

describe('namespace deletion', () => {
  const { c, docker } = useNodeCluster(['--nodes', '1']);


  test('deletes its pods, their containers, and its other objects, then the namespace', async () => {
    assert.equal((await c.kctl(['create', 'namespace', 'doomed'])).code, 0);
    await c.create('/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'settings' }, data: { a: '1' } });
    for (const name of ['one', 'two']) {
      await c.createPod(
        { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'] }] } },
        'doomed',
      );
    }
    for (const name of ['one', 'two']) await c.waitForPod(name, (p) => p.status?.phase === 'Running', 20_000, 'doomed');
    const containers = () => docker.listContainers({ all: true, filters: { label: ['io.kubernetes.pod.namespace=doomed', `kctl.cluster=${c.server}`] } });
    assert.equal((await containers()).length, 4, 'two pods, each a sandbox and a container');

    const del = await c.kctl(['delete', 'namespace', 'doomed', '--timeout', '60s']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /namespace "doomed" deleted/);
    assert.equal((await c.api('GET', '/api/v1/namespaces/doomed')).status, 404);
    assert.deepEqual(await containers(), []);
    assert.equal((await c.api('GET', '/api/v1/namespaces/doomed/configmaps/settings')).status, 404);
  });
});

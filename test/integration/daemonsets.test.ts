// DaemonSets on two real node agents: one busybox container per node, a pod on a node that joins
// later (a hollow node) and gone with it, a nodeSelector narrowing the nodes, a rolling update.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';

const DS_PATH = '/apis/apps/v1/namespaces/default/daemonsets';

const manifest = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: {
      metadata: { labels: { app: 'agent' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
    },
  },
};

const isReady = (p: any) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

describe('daemonsets on two nodes', () => {
  const { c } = useNodeCluster(['--nodes', '2']);
  let fleet: ChildProcess | undefined;
  after(() => fleet?.kill('SIGKILL'));

  const pods = async (): Promise<any[]> => (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent')).body.items.filter((p: any) => !p.metadata.deletionTimestamp);
  const daemonSet = async (): Promise<any> => (await c.api('GET', `${DS_PATH}/agent`)).body;
  const readyNodes = async () => (await pods()).filter(isReady).map((p) => p.spec.nodeName).sort();
  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  test('a DaemonSet runs one ready container on every node, and on a node that joins, until it leaves', async () => {
    const nodes = (await c.api('GET', '/api/v1/nodes')).body.items.map((n: any) => n.metadata.name).sort();
    assert.equal(nodes.length, 2);
    const created = await c.api('POST', DS_PATH, manifest);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await until('a ready pod on each node', async () => JSON.stringify(await readyNodes()) === JSON.stringify(nodes));
    await until('status counts both', async () => {
      const s = (await daemonSet()).status;
      return s.desiredNumberScheduled === 2 && s.currentNumberScheduled === 2 && s.numberReady === 2 && s.numberAvailable === 2 && s.updatedNumberScheduled === 2 && s.observedGeneration === 1;
    });
    const pod = (await pods())[0];
    assert.ok(pod.spec.tolerations.some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'));
    assert.equal(pod.metadata.ownerReferences[0].kind, 'DaemonSet');

    const token = await c.kctl(['token', 'create']);
    assert.equal(token.code, 0, token.stderr);
    const tokenFile = join(c.home, 'hollow-token');
    writeFileSync(tokenFile, token.stdout.trim());
    fleet = spawn(process.execPath, [join(REPO, 'bin/kctl-node'), '--name', 'late', '--hollow-nodes', '1', '--server', c.server, '--token-file', tokenFile, '--ca-file', join(c.home, 'pki/ca.crt')], { stdio: 'ignore' });
    let late = '';
    await until('a ready pod on the late node too', async () => {
      const ready = await readyNodes();
      late = ready.find((n) => n.startsWith('late')) ?? '';
      return ready.length === 3 && !!late;
    });
    await until('status desired 3', async () => (await daemonSet()).status.numberReady === 3);

    const del = await c.kctl(['delete', 'node', late]);
    assert.equal(del.code, 0, del.stderr);
    await until('the late node pod gone', async () => (await pods()).every((p) => p.spec.nodeName !== late));
    await until('status back to 2', async () => (await daemonSet()).status.desiredNumberScheduled === 2);
  });

  test('a nodeSelector narrows the nodes; a new template rolls out node by node', async () => {
    const nodes = (await c.api('GET', '/api/v1/nodes')).body.items.map((n: any) => n.metadata.name).filter((n: string) => !n.startsWith('late')).sort();
    const labelled = await c.kctl(['label', 'node', nodes[0], 'ds=yes']);
    assert.equal(labelled.code, 0, labelled.stderr);
    const patch = await c.api('PATCH', `${DS_PATH}/agent`, { spec: { template: { spec: { nodeSelector: { ds: 'yes' } } } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patch.status, 200, JSON.stringify(patch.body));
    await until('only the labelled node runs it', async () => JSON.stringify(await readyNodes()) === JSON.stringify([nodes[0]]));
    await until('status desired 1, updated 1', async () => {
      const s = (await daemonSet()).status;
      return s.desiredNumberScheduled === 1 && s.updatedNumberScheduled === 1 && s.numberReady === 1 && s.observedGeneration === 2;
    });
    const revisions = (await c.api('GET', '/apis/apps/v1/namespaces/default/controllerrevisions')).body.items.map((r: any) => r.revision).sort();
    assert.deepEqual(revisions, [1, 2]);
  });
});

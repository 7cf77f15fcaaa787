// Resource metrics on a real node agent: `kctl cluster up --nodes 1` with a short collection
// interval, a CPU-burning pod and an idle one in Docker, read through metrics.k8s.io with the real
// kubectl top (which asks for protobuf) and kctl top. useNodeCluster brings the cluster down after
// the tests, whatever happened.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlAvailable } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';

const running = (p: any) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running);

function pod(name: string, script: string, labels: Record<string, string>): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'main', image: 'busybox:1.35', command: ['sh', '-c', script] }] },
  };
}

/** `NAME CPU MEMORY` rows of `top pods --no-headers` as millicores by pod name. */
function millicores(stdout: string): Map<string, number> {
  return new Map(
    stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, cpu] = line.trim().split(/\s+/);
        return [name, Number(cpu.replace(/m$/, ''))];
      }),
  );
}

describe('resource metrics', () => {
  const { c } = useNodeCluster(['--nodes', '1', '--metric-resolution', '1s']);

  before(async () => {
    await c.createPod(pod('busy', 'while :; do :; done', { app: 'busy', tier: 'load' }));
    await c.createPod(pod('idle', 'sleep 3600', { app: 'idle', tier: 'load' }));
    await Promise.all(['busy', 'idle'].map((p) => c.waitForPod(p, running)));
  });

  /** Retries `top pods` until both pods have figures (two collections after they started). */
  async function topPods(run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>): Promise<Map<string, number>> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await run(['top', 'pods', '--no-headers']);
      const rows = r.code === 0 ? millicores(r.stdout) : new Map();
      if (rows.has('busy') && rows.has('idle')) return rows;
      if (Date.now() > deadline) throw new Error(`top pods never listed both pods: ${r.code} ${r.stdout}${r.stderr}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  test('kubectl top pods shows the busy pod using more CPU than the idle one', { skip: !kubectlAvailable() && 'no kubectl' }, async () => {
    const rows = await topPods((args) => c.kubectl(args));
    assert.ok(rows.get('busy')! > rows.get('idle')! + 50, `busy ${rows.get('busy')}m, idle ${rows.get('idle')}m`);
    const headers = await c.kubectl(['top', 'pods', '--containers', '-l', 'app=busy']);
    assert.equal(headers.code, 0, headers.stderr);
    assert.match(headers.stdout, /^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nbusy\s+main\s+\d+m\s+\d+Mi\s*\n$/);
    const nodes = await c.kubectl(['top', 'nodes']);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\nnode-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$/);
  });

  test('kctl top prints kubectl columns: sorted, per container, across namespaces', async () => {
    const rows = await topPods((args) => c.kctl(args));
    assert.ok(rows.get('busy')! > rows.get('idle')!, `busy ${rows.get('busy')}m, idle ${rows.get('idle')}m`);
    const sorted = await c.kctl(['top', 'pods', '-l', 'tier=load', '--sort-by', 'cpu', '--no-headers']);
    assert.deepEqual(sorted.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]), ['busy', 'idle']);
    const all = await c.kctl(['top', 'pod', '-A', '--containers']);
    assert.match(all.stdout, /^NAMESPACE\s+POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    assert.match(all.stdout, /\ndefault\s+busy\s+main\s+\d+m\s+\d+Mi/);
    const node = await c.kctl(['top', 'node', 'node-1']);
    assert.match(node.stdout, /\nnode-1\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$/);
    const missing = await c.kctl(['top', 'pod', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n');
    const none = await c.kctl(['top', 'pods', '-l', 'app=none']);
    assert.equal(none.code, 0);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const bad = await c.kctl(['top', 'pods', '--sort-by', 'disk']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: --sort-by accepts only cpu or memory\n');
  });

  test('metrics.k8s.io: discovery, selectors, protobuf, and only get and list', async () => {
    const group = await c.api('GET', '/apis/metrics.k8s.io');
    assert.equal(group.body.preferredVersion.groupVersion, 'metrics.k8s.io/v1beta1');
    const resources = await c.api('GET', '/apis/metrics.k8s.io/v1beta1');
    assert.deepEqual(resources.body.resources.map((r: any) => [r.name, r.kind, r.verbs]), [['nodes', 'NodeMetrics', ['get', 'list']], ['pods', 'PodMetrics', ['get', 'list']]]);
    const list = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dbusy');
    assert.equal(list.body.kind, 'PodMetricsList');
    assert.deepEqual(list.body.items.map((p: any) => p.metadata.name), ['busy']);
    const item = list.body.items[0];
    assert.deepEqual(item.metadata.labels, { app: 'busy', tier: 'load' });
    assert.match(item.window, /^\d+(\.\d+)?m?s$/);
    assert.match(item.containers[0].usage.cpu, /^\d+[nm]?$/);
    const proto = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-1', undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.equal(proto.contentType, 'application/vnd.kubernetes.protobuf');
    assert.ok(proto.raw.includes(Buffer.from('NodeMetrics')));
    const gone = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nope');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.message, 'nodemetrics.metrics.k8s.io "nope" not found');
    assert.equal((await c.api('DELETE', '/apis/metrics.k8s.io/v1beta1/nodes/node-1')).status, 405);
    assert.equal((await c.api('GET', '/apis/metrics.k8s.io/v1beta1/pods?watch=true')).status, 405);
    assert.equal((await c.api('GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=a%20in')).status, 400);
    assert.equal((await c.api('GET', '/apis/metrics.k8s.io/v1beta1/pods', undefined, {}, false)).status, 401);
  });
});

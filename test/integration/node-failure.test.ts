// Nodes going away, for real: two node agents with a 5 s node monitor grace period; cordon and
// drain, taint, label and annotate (kctl and the real kubectl); then one agent killed with SIGKILL:
// its Node goes Unknown and tainted unreachable, its pods are evicted and (when a ReplicaSet owns
// them) replaced on the other node; the agent started again takes the taints away.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlAvailable } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';
import { pod } from '../helpers/builders.js';

const GRACE_SECONDS = 5;
const UNREACHABLE = 'node.kubernetes.io/unreachable';

// Pods that run until deleted, and go quickly then.
const SLEEP = { name: 'app', command: ['sleep', '3600'] };
const QUICK = { terminationGracePeriodSeconds: 1 };

const tolerateUnreachable = (seconds: number) => [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }];

describe('node lifecycle, cordon, drain, taint, label, annotate', () => {
  const { c, docker } = useNodeCluster(['--nodes', '2', '--node-monitor-grace-period-seconds', String(GRACE_SECONDS)]);
  const kubectl = kubectlAvailable();


  const node = async (name: string) => (await c.api('GET', `/api/v1/nodes/${name}`)).body;
  const getPod = async (name: string) => {
    const r = await c.api('GET', `/api/v1/namespaces/default/pods/${name}`);
    return r.status === 200 ? r.body : undefined;
  };
  const running = (p: any) => p.status?.phase === 'Running';
  const podContainers = (name: string) => docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.name=${name}`, `kctl.cluster=${c.server}`] } });

  test('cordon keeps new pods off the node (the unschedulable taint too); uncordon lets them back', async () => {
    let r = await c.kctl(['cordon', 'node-2']);
    assert.equal(r.stdout, 'node/node-2 cordoned\n', r.stderr);
    r = await c.kctl(['cordon', 'node-2']);
    assert.equal(r.stdout, 'node/node-2 already cordoned\n');
    const cordoned = await until('the unschedulable taint is there', async () => {
      const n = await node('node-2');
      return n.spec.taints?.some((t: any) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule' && t.timeAdded) ? n : undefined;
    });
    assert.equal(cordoned.spec.unschedulable, true);
    for (const name of ['spread-1', 'spread-2', 'spread-3']) await c.createPod(pod(name, { container: SLEEP, spec: QUICK }));
    for (const name of ['spread-1', 'spread-2', 'spread-3']) {
      const p = await c.waitForPod(name, (x) => !!x.spec.nodeName);
      assert.equal(p.spec.nodeName, 'node-1', `${name} avoids the cordoned node`);
    }
    r = await c.kctl(['uncordon', 'node-2']);
    assert.equal(r.stdout, 'node/node-2 uncordoned\n');
    r = await c.kctl(['uncordon', 'node-2']);
    assert.equal(r.stdout, 'node/node-2 already uncordoned\n');
    await until('the unschedulable taint is gone', async () => !(await node('node-2')).spec.taints);
    assert.equal((await c.kctl(['cordon', 'nope'])).stderr, 'Error from server (NotFound): nodes "nope" not found\n');
    if (kubectl) {
      r = await c.kubectl(['cordon', 'node-2']);
      assert.equal(r.stdout, 'node/node-2 cordoned\n', r.stderr);
      assert.equal((await node('node-2')).spec.unschedulable, true);
      r = await c.kubectl(['uncordon', 'node-2']);
      assert.equal(r.stdout, 'node/node-2 uncordoned\n', r.stderr);
    }
    await c.kctl(['delete', 'pods', 'spread-1', 'spread-2', 'spread-3', '--grace-period', '0', '--force']);
  });

  test('taint: add, refuse to overwrite, overwrite, remove; kubectl reads and writes the same taints', async () => {
    let r = await c.kctl(['taint', 'nodes', 'node-1', 'dedicated=gpu:NoSchedule']);
    assert.equal(r.stdout, 'node/node-1 tainted\n', r.stderr);
    r = await c.kctl(['taint', 'nodes', 'node-1', 'dedicated=cpu:NoSchedule']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n');
    r = await c.kctl(['taint', 'nodes', 'node-1', 'dedicated=cpu:NoSchedule', '--overwrite']);
    assert.equal(r.stdout, 'node/node-1 modified\n');
    assert.deepEqual((await node('node-1')).spec.taints, [{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }]);
    r = await c.kctl(['taint', 'node', 'node-1', 'dedicated-']);
    assert.equal(r.stdout, 'node/node-1 untainted\n');
    r = await c.kctl(['taint', 'nodes', 'node-1', 'dedicated-']);
    assert.equal(r.stderr, 'error: taint "dedicated" not found\n');
    r = await c.kctl(['taint', 'pods', 'x', 'a=b:NoSchedule']);
    assert.equal(r.stderr, 'error: invalid resource type pods, only node types are supported\n');
    if (kubectl) {
      r = await c.kubectl(['taint', 'nodes', 'node-1', 'zone=a:PreferNoSchedule']);
      assert.equal(r.stdout, 'node/node-1 tainted\n', r.stderr);
      r = await c.kctl(['taint', 'nodes', 'node-1', 'zone:PreferNoSchedule-']);
      assert.equal(r.stdout, 'node/node-1 untainted\n', r.stderr);
      r = await c.kubectl(['taint', 'nodes', 'node-1', 'zone=b:PreferNoSchedule']);
      r = await c.kubectl(['taint', 'nodes', 'node-1', 'zone-']);
      assert.equal(r.stdout, 'node/node-1 untainted\n', r.stderr);
    }
    assert.equal((await node('node-1')).spec.taints, undefined);
  });

  test('label and annotate: add, refuse to overwrite, overwrite, remove; kubectl label too', async () => {
    await c.createPod(pod('tagged', { container: SLEEP, spec: { ...QUICK, nodeName: 'node-1' } }));
    let r = await c.kctl(['label', 'pods', 'tagged', 'tier=web', 'team=a']);
    assert.equal(r.stdout, 'pod/tagged labeled\n', r.stderr);
    r = await c.kctl(['label', 'pod/tagged', 'tier=db']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "error: 'tier' already has a value (web), and --overwrite is false\n");
    r = await c.kctl(['label', 'pod/tagged', 'tier=db', '--overwrite']);
    assert.equal(r.stdout, 'pod/tagged labeled\n');
    r = await c.kctl(['label', 'pods', 'tagged', 'team-']);
    assert.equal(r.stdout, 'pod/tagged unlabeled\n');
    r = await c.kctl(['label', 'pods', 'tagged', 'absent-']);
    assert.equal(r.stdout, 'label "absent" not found.\npod/tagged not labeled\n');
    assert.deepEqual((await getPod('tagged')).metadata.labels, { tier: 'db' });
    r = await c.kctl(['label', 'nodes', '--all', 'rack=r1']);
    assert.equal(r.stdout, 'node/node-1 labeled\nnode/node-2 labeled\n', r.stderr);
    r = await c.kctl(['label', 'nodes', '-l', 'rack=r1', 'rack-']);
    assert.equal(r.stdout, 'node/node-1 unlabeled\nnode/node-2 unlabeled\n', r.stderr);

    r = await c.kctl(['annotate', 'pods', 'tagged', 'note=first one']);
    assert.equal(r.stdout, 'pod/tagged annotated\n', r.stderr);
    r = await c.kctl(['annotate', 'pods', 'tagged', 'note=second']);
    assert.equal(r.stderr, "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (first one)\n");
    r = await c.kctl(['annotate', 'pods', 'tagged', 'note=second', '--overwrite']);
    assert.equal(r.stdout, 'pod/tagged annotated\n');
    assert.equal((await getPod('tagged')).metadata.annotations.note, 'second');
    r = await c.kctl(['annotate', 'pods', 'tagged', 'note-']);
    assert.equal(r.stdout, 'pod/tagged annotated\n');
    assert.equal((await getPod('tagged')).metadata.annotations?.note, undefined);
    if (kubectl) {
      r = await c.kubectl(['label', 'pods', 'tagged', 'by=kubectl']);
      assert.equal(r.stdout, 'pod/tagged labeled\n', r.stderr);
      r = await c.kctl(['get', 'pods', 'tagged', '--show-labels', '--no-headers']);
      assert.match(r.stdout, /by=kubectl,tier=db/);
      r = await c.kubectl(['label', 'pods', 'tagged', 'tier=x']);
      assert.equal(r.stderr, "error: 'tier' already has a value (db), and --overwrite is false\n");
    }
    await c.kctl(['delete', 'pod', 'tagged', '--grace-period', '0', '--force']);
  });

  test('drain: refuses pods without a controller unless --force, then evicts them; their containers are gone', async () => {
    for (const name of ['drained-1', 'drained-2']) await c.createPod(pod(name, { container: SLEEP, spec: { ...QUICK, nodeName: 'node-1' } }));
    for (const name of ['drained-1', 'drained-2']) await c.waitForPod(name, running);
    let r = await c.kctl(['drain', 'node-1']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'node/node-1 cordoned\n');
    const refusal = 'cannot delete Pods that declare no controller (use --force to override): default/drained-1, default/drained-2';
    assert.equal(
      r.stderr,
      `error: unable to drain node "node-1" due to error: ${refusal}, continuing command...\nThere are pending nodes to be drained:\n node-1\n${refusal}\n`,
    );
    assert.ok(await getPod('drained-1'), 'nothing was evicted');

    const started = Date.now();
    r = await c.kctl(['drain', 'node-1', '--force', '--grace-period', '1', '--timeout', '60s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'Warning: deleting Pods that declare no controller: default/drained-1, default/drained-2\n');
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'node/node-1 already cordoned');
    assert.deepEqual(lines.slice(1, -1).sort(), ['evicting pod default/drained-1', 'evicting pod default/drained-2', 'pod/drained-1 evicted', 'pod/drained-2 evicted']);
    assert.equal(lines.at(-1), 'node/node-1 drained');
    assert.ok(Date.now() - started < 20_000, 'grace period 1 s: drained quickly');
    assert.equal(await getPod('drained-1'), undefined);
    await until('the drained pods\' containers are removed', async () => (await podContainers('drained-1')).length + (await podContainers('drained-2')).length === 0, 15_000);

    // The eviction subresource answers as Kubernetes does.
    await c.createPod(pod('evictee', { container: SLEEP, spec: { ...QUICK, nodeName: 'node-2' } }));
    const ev = await c.api('POST', '/api/v1/namespaces/default/pods/evictee/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evictee' }, deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(ev.status, 201, ev.text);
    assert.deepEqual(ev.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const wrong = await c.api('POST', '/api/v1/namespaces/default/pods/other/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evictee' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.message, 'name in URL does not match name in Eviction object');
    assert.equal((await c.kctl(['uncordon', 'node-1'])).stdout, 'node/node-1 uncordoned\n');
  });

  test('a killed node agent: Unknown, tainted unreachable, its pods evicted (replaced when owned); back, the taints go', async (t) => {
    // Bare pods on node-2: one leaves at once, one keeps the default 300 s.
    await c.createPod(pod('quick', { container: SLEEP, spec: { ...QUICK, nodeName: 'node-2', tolerations: tolerateUnreachable(0) } }));
    await c.createPod(pod('patient', { container: SLEEP, spec: { ...QUICK, nodeName: 'node-2' } }));
    const rs = await c.api('POST', '/apis/apps/v1/namespaces/default/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { terminationGracePeriodSeconds: 1, tolerations: tolerateUnreachable(0), containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
        },
      },
    });
    assert.equal(rs.status, 201, rs.text);
    const webPods = async () => (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items as any[];
    // Another helper builds the ReplicaSet controller; without it only the bare pods are checked.
    const replicaSets = await until('the ReplicaSet has its pods', async () => ((await webPods()).filter(running).length === 4 ? true : undefined), 20_000).catch(() => false);
    if (!replicaSets) t.diagnostic('no ReplicaSet controller in this build: only the eviction of bare pods is checked');
    for (const name of ['quick', 'patient']) await c.waitForPod(name, running);
    const webOnNode2 = replicaSets ? (await webPods()).filter((p) => p.spec.nodeName === 'node-2').map((p) => p.metadata.name) : [];

    const killedAt = Date.now();
    process.kill(c.agentPid('node-2'), 'SIGKILL');
    const dead = await until('node-2 is Unknown and tainted unreachable', async () => {
      const n = await node('node-2');
      return n.spec.taints?.filter((t: any) => t.key === UNREACHABLE).length === 2 ? n : undefined;
    });
    const unknownAfter = Date.now() - killedAt;
    assert.ok(unknownAfter >= (GRACE_SECONDS - 2) * 1000, `not before the grace period (${unknownAfter} ms)`);
    const ready = dead.status.conditions.find((x: any) => x.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.deepEqual(dead.status.conditions.map((x: any) => x.status), ['Unknown', 'Unknown', 'Unknown', 'Unknown']);
    assert.deepEqual(dead.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort(), [`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    assert.ok(dead.spec.taints.every((t: any) => t.timeAdded));
    const nodeRow = await c.kctl(['get', 'node', 'node-2', '--no-headers']);
    assert.match(nodeRow.stdout, /^node-2\s+NotReady\s/);

    const quick = await until('pod quick is evicted', async () => ((await getPod('quick'))?.metadata.deletionTimestamp ? getPod('quick') : undefined));
    assert.equal(quick.status.conditions.find((x: any) => x.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    const events = (await c.api('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dquick')).body.items as any[];
    assert.ok(
      events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/quick' && e.source.component === 'taint-eviction-controller'),
      JSON.stringify(events.map((e) => [e.reason, e.message])),
    );
    const patient = await getPod('patient');
    assert.equal(patient.metadata.deletionTimestamp, undefined, 'the default 300 s toleration keeps it');
    assert.equal(patient.status.conditions.find((x: any) => x.type === 'Ready').status, 'False', 'marked not ready');
    // The agent is gone, so the evicted pod stays Terminating, as kubectl shows it on a dead node.
    const row = await c.kctl(['get', 'pod', 'quick', '--no-headers']);
    assert.match(row.stdout, /^quick\s+\S+\s+Terminating\s/);

    if (replicaSets) {
      await until('the ReplicaSet runs 4 pods on node-1', async () => {
        const live = (await webPods()).filter((p) => !p.metadata.deletionTimestamp);
        return live.length === 4 && live.every((p) => p.spec.nodeName === 'node-1' && running(p)) ? true : undefined;
      }).catch(async (err: Error) => {
        const pods = (await webPods()).map((p) => `${p.metadata.name} ${p.spec.nodeName} ${p.status?.phase} ${p.metadata.deletionTimestamp ?? ''}`);
        throw new Error(`${err.message}: ${pods.join('; ')}`);
      });
      for (const name of webOnNode2) assert.ok((await getPod(name))?.metadata.deletionTimestamp, `${name} on node-2 is terminating`);
    }

    // The agent comes back: Ready again, the taints go, it finishes what was evicted.
    const up = await c.kctl(['cluster', 'up']);
    assert.match(up.stdout, /Restarting node agents: node-2/);
    await until('node-2 is Ready without the unreachable taints', async () => {
      const n = await node('node-2');
      const isReady = n.status.conditions.find((x: any) => x.type === 'Ready')?.status === 'True';
      return isReady && !n.spec.taints?.some((t: any) => t.key === UNREACHABLE) ? true : undefined;
    });
    await until('the evicted pod is gone', async () => ((await getPod('quick')) === undefined ? true : undefined));
    await c.waitForPod('patient', (p) => running(p) && p.status.conditions.find((x: any) => x.type === 'Ready').status === 'True');
  });
});

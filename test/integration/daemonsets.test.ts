// DaemonSets on two real node agents: one busybox container per node, a container on a real node
// that joins later (`kctl cluster add-nodes` of a node group) and the pod gone with the node, a
// nodeSelector narrowing the nodes, a rolling update; a maxSurge rollout starting each new pod
// before its node's old one goes, undone by the real kubectl.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';
import { HttpClient } from '../../src/api/http-client.js';

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
  // The group starts with no node: its node joins when the first test adds it.
  const { c } = useNodeCluster(['--nodes', '2', '--node-group', 'late=0:1']);

  const pods = async (): Promise<any[]> => (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent')).body.items.filter((p: any) => !p.metadata.deletionTimestamp);
  const daemonSet = async (): Promise<any> => (await c.api('GET', `${DS_PATH}/agent`)).body;
  const readyNodes = async () => (await pods()).filter(isReady).map((p) => p.spec.nodeName).sort();

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

    const added = await c.kctl(['cluster', 'add-nodes', 'late']);
    assert.equal(added.code, 0, added.stderr);
    const late = /: (late-\S+)\n$/.exec(added.stdout)?.[1] ?? assert.fail(added.stdout);
    await until('a ready pod on the late node too', async () => {
      const ready = await readyNodes();
      return ready.length === 3 && ready.includes(late);
    });
    // A real container there: it answers exec.
    const onLate = (await pods()).find((p) => p.spec.nodeName === late);
    const exec = await c.kctl(['exec', onLate.metadata.name, '--', 'hostname']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), onLate.metadata.name);
    await until('status desired 3', async () => (await daemonSet()).status.numberReady === 3);

    const stopped = await c.kctl(['cluster', 'remove-nodes', late]);
    assert.equal(stopped.code, 0, stopped.stderr);
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

  test('maxSurge: each node gets its new pod before the old one goes; kubectl rollout undo restores the template, kctl describes it', async () => {
    const name = 'surge';
    const live = async (): Promise<any[]> => (await c.api('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).body.items;
    const ds = structuredClone(manifest) as any;
    ds.metadata.name = name;
    ds.spec.selector.matchLabels.app = name;
    ds.spec.template.metadata.labels.app = name;
    ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    const refused = await c.api('POST', DS_PATH, { ...ds, spec: { ...ds.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } });
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /spec\.updateStrategy\.rollingUpdate\.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero/);
    assert.equal((await c.api('POST', DS_PATH, ds)).status, 201);
    const nodes = (await c.api('GET', '/api/v1/nodes')).body.items.length;
    // Only busybox:1.35 is on the engines (no registry is reached): the versions differ by an env var.
    const version = (p: any) => p.spec.containers[0].env?.find((e: any) => e.name === 'VERSION')?.value ?? '1';
    const allReady = (v: string) => async () => {
      const pods = await live();
      return pods.length === nodes && pods.every((p) => isReady(p) && version(p) === v);
    };
    await until('one ready pod per node', allReady('1'));
    const oldPods = new Map((await live()).map((p) => [p.spec.nodeName, p.metadata.name]));

    // The new template's pods need 2 s to be ready: with surge the old pods must outlive that.
    // Every state of the pods comes through a watch: polling could miss an old pod's short time
    // terminating.
    const seen = new Map<string, any>();
    const client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    const watch = client.watchPath(`/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3D${name}`, (e) => {
      const p = e.object as any;
      const before = seen.get(p.metadata.name);
      seen.set(p.metadata.name, { ...before, ...p, metadata: { ...p.metadata, deletionTimestamp: before?.metadata.deletionTimestamp ?? p.metadata.deletionTimestamp } });
    });
    try {
      await until('the watch has the pods', () => seen.size >= nodes);
      const set = await c.kctl(['patch', 'ds', name, '--type=strategic', '-p', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'VERSION', value: '2' }], readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 2, periodSeconds: 1 } }] } } } })]);
      assert.equal(set.code, 0, set.stderr);
      await until('every node rolled to the new image', allReady('2'), 90_000);
    } finally {
      watch.stop();
      client.close();
    }
    for (const [node, oldName] of oldPods) {
      const old = seen.get(oldName);
      const fresh = [...seen.values()].find((p) => p.spec.nodeName === node && version(p) === '2');
      assert.ok(old?.metadata.deletionTimestamp, `the old pod on ${node} was seen terminating`);
      assert.ok(fresh, `a new pod on ${node}`);
      // deletionTimestamp is the deletion time plus the 1 s grace period; the new pod took 2 s or more to be ready.
      const gap = Date.parse(old.metadata.deletionTimestamp) - Date.parse(fresh.metadata.creationTimestamp);
      assert.ok(gap >= 2000, `on ${node} the old pod went ${gap} ms after the new one was created`);
    }

    const history = await c.kctl(['rollout', 'history', `daemonset/${name}`, '--revision=1']);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /^daemonset\.apps\/surge with revision #1\nPod Template:\n/);
    assert.doesNotMatch(history.stdout, /VERSION/);
    assert.match((await c.kctl(['rollout', 'history', `daemonset/${name}`, '--revision=2'])).stdout, /VERSION:\s+2/);
    const undo = await c.kubectl(['rollout', 'undo', `daemonset/${name}`]);
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(undo.stdout.trim(), 'daemonset.apps/surge rolled back');
    await until('every node back on the old image', allReady('1'), 90_000);
    const again = await c.kctl(['rollout', 'undo', `daemonset/${name}`, '--to-revision=3']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'daemonset.apps/surge skipped rollback (current template already matches revision 3)');
    const back = await c.kctl(['rollout', 'undo', `ds/${name}`]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout.trim(), 'daemonset.apps/surge rolled back');
    await until('every node on the new image again', allReady('2'), 90_000);

    const described = await c.kctl(['describe', 'ds', name]);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, new RegExp(`Desired Number of Nodes Scheduled: ${nodes}\nCurrent Number of Nodes Scheduled: ${nodes}\nNumber of Nodes Scheduled with Up-to-date Pods: ${nodes}\n`));
    assert.match(described.stdout, /Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: surge-/);
    const theirs = await c.kubectl(['describe', 'ds', name]);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.match(theirs.stdout, /Number of Nodes Misscheduled: 0/);
    assert.equal((await c.kctl(['delete', 'ds', name])).code, 0);
  });
});

// StatefulSets on a real node agent: the controller in the daemon, real busybox containers, the
// cluster DNS answering the pods' stable names under their headless Service, each pod's claim
// provisioned by local-path and mounted, driven through kctl.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
};

const statefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    replicas: 3,
    serviceName: 'web',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.35', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
};

const isReady = (p: any) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
const readySince = (p: any) => Date.parse(p.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);

describe('statefulsets on a node', () => {
  const { c } = useNodeCluster(['--nodes', '1']);
  const get = async (path: string): Promise<any> => (await c.api('GET', path)).body;
  const pods = async (): Promise<any[]> => (await get('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items.filter((p: any) => !p.metadata.deletionTimestamp);
  const claims = async (): Promise<string[]> => (await get('/api/v1/namespaces/default/persistentvolumeclaims')).items.map((p: any) => p.metadata.name).sort();

  test('a StatefulSet of 3 comes up in order with stable names, hostnames and DNS names', async () => {
    const apply = await c.kctl(['apply', '-f', '-'], [service, statefulSet].map((o) => JSON.stringify(o)).join('\n---\n'));
    assert.equal(apply.code, 0, apply.stderr);
    const ready = await until('3 pods ready', async () => {
      const all = await pods();
      return all.length === 3 && all.every(isReady) ? all : undefined;
    });
    const byName = new Map(ready.map((p) => [p.metadata.name, p]));
    assert.deepEqual([...byName.keys()].sort(), ['web-0', 'web-1', 'web-2']);
    // OrderedReady: each pod is created only once the one before it is ready.
    for (const [before, after] of [['web-0', 'web-1'], ['web-1', 'web-2']]) {
      assert.ok(readySince(byName.get(before)) <= Date.parse(byName.get(after).metadata.creationTimestamp), `${after} created after ${before} was ready`);
    }
    const web1 = byName.get('web-1');
    assert.equal(web1.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.equal(web1.metadata.labels['apps.kubernetes.io/pod-index'], '1');
    assert.ok(web1.metadata.labels['controller-revision-hash'].startsWith('web-'));
    const hostname = await c.kctl(['exec', 'web-1', '--', 'hostname']);
    assert.equal(hostname.stdout.trim(), 'web-1');
    const lookup = await until('web-1.web resolves to its pod', async () => {
      const r = await c.kctl(['exec', 'web-0', '--', 'nslookup', '-type=a', 'web-1.web.default.svc.cluster.local']);
      return r.code === 0 && r.stdout.includes(web1.status.podIP) ? r.stdout : undefined;
    }, 30_000);
    assert.ok(lookup);
    assert.deepEqual(await claims(), ['data-web-0', 'data-web-1', 'data-web-2']);
    const sts = await get('/apis/apps/v1/namespaces/default/statefulsets/web');
    assert.equal(sts.status.readyReplicas, 3);
    assert.equal(sts.status.currentRevision, web1.metadata.labels['controller-revision-hash']);
  });

  test('each pod has its own volume; what web-0 wrote on its claim is there after web-0 is deleted and recreated', async () => {
    const bound = await get('/api/v1/namespaces/default/persistentvolumeclaims');
    assert.deepEqual(bound.items.map((p: any) => p.status.phase), ['Bound', 'Bound', 'Bound']);
    const write = await c.kctl(['exec', 'web-0', '--', 'sh', '-c', 'echo written-by-web-0 > /data/marker']);
    assert.equal(write.code, 0, write.stderr);
    const other = await c.kctl(['exec', 'web-1', '--', 'ls', '/data']);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(other.stdout, '', "web-1's volume is its own");
    const before = (await pods()).find((p) => p.metadata.name === 'web-0');
    const del = await c.kctl(['delete', 'pod', 'web-0']);
    assert.equal(del.code, 0, del.stderr);
    await until('web-0 recreated and ready', async () => (await pods()).some((p) => p.metadata.name === 'web-0' && p.metadata.uid !== before.metadata.uid && isReady(p)));
    const read = await c.kctl(['exec', 'web-0', '--', 'cat', '/data/marker']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout, 'written-by-web-0\n');
  });

  test('scaling down removes the highest ordinals and keeps their claims', async () => {
    const scale = await c.kctl(['scale', 'statefulset/web', '--replicas', '1']);
    assert.equal(scale.code, 0, scale.stderr);
    await until('only web-0 left', async () => (await pods()).map((p) => p.metadata.name).join() === 'web-0');
    assert.deepEqual(await claims(), ['data-web-0', 'data-web-1', 'data-web-2']);
    await until('status shows 1 replica', async () => (await get('/apis/apps/v1/namespaces/default/statefulsets/web')).status.replicas === 1);
  });
});

// ResourceQuota and LimitRange against a running control plane: the quota controller fills
// status, the pod over the quota is refused with Kubernetes' 403 (kctl and the real kubectl),
// racing creates never overshoot, deleting frees the quota, `get`/`describe quota` print as
// kubectl does, a LimitRange's defaults show on the created pod and its minimum refuses a pod.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';
import { until } from '../helpers/until.js';
import { pod } from '../helpers/builders.js';

// The limit ranger names the container in its annotation.
const SLEEPER = { name: 'app', command: ['sleep', '3600'] };

describe('resource quotas and limit ranges', () => {
  const c = new TestCluster();
  const kubectl = kubectlAvailable();
  before(async () => {
    await c.up([]);
  });
  after(async () => {
    await c.down();
  });

  const quota = async (ns: string, name: string) => (await c.api('GET', `/api/v1/namespaces/${ns}/resourcequotas/${name}`)).body;
  const counted = (ns: string, name: string, resource: string, value: string) =>
    until(`quota ${name} counts ${resource}=${value}`, async () => ((await quota(ns, name)).status?.used?.[resource] === value ? true : undefined));

  test('a quota refuses the pod over it with Kubernetes\' message; a pod deleted or finished frees its slot', async () => {
    assert.equal((await c.kctl(['create', 'namespace', 'team'])).code, 0);
    let r = await c.kctl(['create', 'quota', 'pod-count', '-n', 'team', '--hard=pods=2,count/configmaps=5']);
    assert.equal(r.stdout, 'resourcequota/pod-count created\n', r.stderr);
    await counted('team', 'pod-count', 'pods', '0');
    const q = await quota('team', 'pod-count');
    assert.deepEqual(q.status.hard, { 'count/configmaps': '5', pods: '2' });
    // kube-root-ca.crt is already there.
    await counted('team', 'pod-count', 'count/configmaps', '1');

    for (const name of ['one', 'two']) await c.createPod(pod(name, { container: SLEEPER }), 'team');
    r = await c.kctl(['create', '-n', 'team', '-f', '-'], JSON.stringify(pod('three', { container: SLEEPER })));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "three" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2\n');
    if (kubectl) {
      r = await c.kubectl(['create', '-n', 'team', '-f', '-'], JSON.stringify(pod('three', { container: SLEEPER })));
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "three" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2\n');
    }

    r = await c.kctl(['get', 'quota', '-n', 'team']);
    assert.match(r.stdout, /^NAME\s+AGE\s+REQUEST\s+LIMIT\npod-count\s+\d+s\s+count\/configmaps: 1\/5, pods: 2\/2\s*\n$/, r.stdout);
    r = await c.kctl(['describe', 'quota', 'pod-count', '-n', 'team']);
    assert.equal(r.stdout, 'Name:             pod-count\nNamespace:        team\nResource          Used  Hard\n--------          ----  ----\ncount/configmaps  1     5\npods              2     2\n');
    if (kubectl) assert.equal((await c.kubectl(['describe', 'quota', 'pod-count', '-n', 'team'])).stdout, r.stdout);

    assert.equal((await c.kctl(['delete', 'pod', 'two', '-n', 'team'])).code, 0);
    await counted('team', 'pod-count', 'pods', '1');
    await c.createPod(pod('three', { container: SLEEPER }), 'team');

    // A pod that has finished (its phase written through /status, as a node agent writes it) holds
    // no pod slot any more, though it is still stored: count/pods would still count it.
    const one = (await c.api('GET', '/api/v1/namespaces/team/pods/one')).body;
    const finished = await c.api('PUT', '/api/v1/namespaces/team/pods/one/status', { ...one, status: { ...one.status, phase: 'Succeeded' } });
    assert.equal(finished.status, 200, finished.text);
    await counted('team', 'pod-count', 'pods', '1');
    await c.createPod(pod('four', { container: SLEEPER }), 'team');
    await counted('team', 'pod-count', 'pods', '2');
  });

  test('racing creates never overshoot the quota', async () => {
    assert.equal((await c.kctl(['create', 'namespace', 'race'])).code, 0);
    assert.equal((await c.kctl(['create', 'quota', 'q', '-n', 'race', '--hard=pods=3'])).code, 0);
    await counted('race', 'q', 'pods', '0');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.api('POST', '/api/v1/namespaces/race/pods', pod(`p${i}`, { container: SLEEPER }))));
    assert.equal(results.filter((x) => x.status === 201).length, 3, results.map((x) => x.status).join(','));
    for (const refused of results.filter((x) => x.status !== 201)) {
      assert.equal(refused.status, 403);
      assert.match(refused.body.message, /^pods "p\d+" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3$/);
    }
    const pods = (await c.api('GET', '/api/v1/namespaces/race/pods')).body.items;
    assert.equal(pods.length, 3);
    assert.equal((await quota('race', 'q')).status.used.pods, '3');
  });

  test('compute quotas want requests and limits; a LimitRange fills them in and refuses what is under its minimum', async () => {
    assert.equal((await c.kctl(['create', 'namespace', 'compute'])).code, 0);
    const manifest = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi' } } },
      ],
    };
    let r = await c.kctl(['apply', '-n', 'compute', '-f', '-'], JSON.stringify(manifest));
    assert.equal(r.code, 0, r.stderr);
    await counted('compute', 'compute', 'requests.cpu', '0');
    r = await c.kctl(['create', '-n', 'compute', '-f', '-'], JSON.stringify(pod('bare', { container: SLEEPER })));
    assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app\n');

    const limits = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m', memory: '128Mi' }, min: { cpu: '100m' } }] },
    };
    r = await c.kctl(['apply', '-n', 'compute', '-f', '-'], JSON.stringify(limits));
    assert.equal(r.code, 0, r.stderr);
    const created = await c.createPod(pod('defaulted', { container: SLEEPER }), 'compute');
    assert.deepEqual(created.spec.containers[0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    assert.equal(created.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    assert.equal(created.status.qosClass, 'Burstable');
    await counted('compute', 'compute', 'requests.cpu', '250m');

    r = await c.kctl(['create', '-n', 'compute', '-f', '-'], JSON.stringify(pod('tiny', { container: { ...SLEEPER, resources: { requests: { cpu: '50m' } } } })));
    assert.equal(r.stderr, 'Error from server (Forbidden): error when creating "STDIN": pods "tiny" is forbidden: minimum cpu usage per Container is 100m, but request is 50m\n');

    r = await c.kctl(['describe', 'limitrange', 'defaults', '-n', 'compute']);
    assert.equal(
      r.stdout,
      [
        'Name:       defaults',
        'Namespace:  compute',
        'Type        Resource  Min   Max  Default Request  Default Limit  Max Limit/Request Ratio',
        '----        --------  ---   ---  ---------------  -------------  -----------------------',
        'Container   cpu       100m  -    250m             500m           -',
        'Container   memory    -     -    128Mi            256Mi          -',
        '',
      ].join('\n'),
    );
    if (kubectl) assert.equal((await c.kubectl(['describe', 'limitrange', 'defaults', '-n', 'compute'])).stdout.split('\n').sort().join('\n'), r.stdout.split('\n').sort().join('\n'));
    r = await c.kctl(['describe', 'namespace', 'compute']);
    assert.match(r.stdout, /Resource Quotas\n  Name:\s+compute\n  Resource\s+Used\s+Hard\n  --------\s+---\s+---\n  limits.memory\s+256Mi\s+1Gi\n  requests.cpu\s+250m\s+1\n\nResource Limits\n Type\s+Resource/);
    // kubectl prints the LimitRange's resources in Go's map order: compared as sorted lines.
    if (kubectl) assert.equal((await c.kubectl(['describe', 'namespace', 'compute'])).stdout.split('\n').sort().join('\n'), r.stdout.split('\n').sort().join('\n'));
  });

  test('count/<plural>.<group> counts custom objects: the recount keeps what admission charged, a deletion frees the unit', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    assert.equal((await c.api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const gizmo = (name: string) => ({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name }, spec: { size: 1 } });
    await until('gizmos are served', async () => (await c.api('GET', '/apis/example.com/v1/namespaces/default/gizmos')).status === 200);
    assert.equal((await c.kctl(['create', 'quota', 'gizmos', '--hard=count/gizmos.example.com=1'])).code, 0);
    await counted('default', 'gizmos', 'count/gizmos.example.com', '0');
    assert.equal((await c.api('POST', '/apis/example.com/v1/namespaces/default/gizmos', gizmo('a'))).status, 201);
    // The charge changed the quota, so the controller recounts: it must find the custom object too.
    await counted('default', 'gizmos', 'count/gizmos.example.com', '1');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await quota('default', 'gizmos')).status.used['count/gizmos.example.com'], '1');
    const refused = await c.api('POST', '/apis/example.com/v1/namespaces/default/gizmos', gizmo('b'));
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.message, 'gizmos.example.com "b" is forbidden: exceeded quota: gizmos, requested: count/gizmos.example.com=1, used: count/gizmos.example.com=1, limited: count/gizmos.example.com=1');
    // The controller listens to the custom kind too: a deletion frees the unit.
    assert.equal((await c.api('DELETE', '/apis/example.com/v1/namespaces/default/gizmos/a')).status, 200);
    await counted('default', 'gizmos', 'count/gizmos.example.com', '0');
    assert.equal((await c.api('POST', '/apis/example.com/v1/namespaces/default/gizmos', gizmo('b'))).status, 201);
    assert.equal((await c.kctl(['delete', 'quota', 'gizmos'])).code, 0);
    assert.equal((await c.api('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com')).status, 200);
  });

  test('bad quotas and limit ranges are 422 with field paths, never stored', async () => {
    const bad = await c.api('POST', '/api/v1/namespaces/default/resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'bad' }, spec: { hard: { pods: '-1' } } });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.body.message, 'ResourceQuota "bad" is invalid: spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0');
    const lr = await c.api('POST', '/api/v1/namespaces/default/limitranges', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'bad' },
      spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] },
    });
    assert.equal(lr.status, 422, lr.text);
    assert.equal(lr.body.details.causes[0].field, 'spec.limits[0].min[cpu]');
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/limitranges/bad')).status, 404);
  });
});

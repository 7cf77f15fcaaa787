// kctl run against a control plane (the Pod object it creates, dry runs, kubectl's errors), then
// on a real node agent: a run pod's output read back, and `kctl logs deploy/X` reading one pod of
// a two-replica Deployment with kubectl's `Found 2 pods, using pod/...` on stderr.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';

describe('kctl run on a control plane', () => {
  const c = new TestCluster();
  before(async () => {
    await c.up([]);
  });
  after(async () => {
    await c.down();
  });

  test('creates one pod as kubectl run builds it', async () => {
    const r = await c.kctl(['run', 'web', '--image=nginx:1.25', '--port=8080', '--env=MODE=prod', '--restart=OnFailure', '--', '-g', 'daemon off;']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/web created\n');
    const p = (await c.api('GET', '/api/v1/namespaces/default/pods/web')).body;
    assert.deepEqual(p.metadata.labels, { run: 'web' });
    assert.equal(p.spec.restartPolicy, 'OnFailure');
    assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(p.spec.containers.length, 1);
    const ctr = p.spec.containers[0];
    assert.deepEqual([ctr.name, ctr.image, ctr.args, ctr.command], ['web', 'nginx:1.25', ['-g', 'daemon off;'], undefined]);
    assert.deepEqual(ctr.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(ctr.env, [{ name: 'MODE', value: 'prod' }]);

    const again = await c.kctl(['run', 'web', '--image=nginx']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): pods "web" already exists\n');
  });

  test('--command, --labels and -n; dry runs create nothing', async () => {
    const r = await c.kctl(['run', 'tool', '-n', 'kube-system', '--image=busybox', '-l', 'app=tool,tier=ops', '--command', '-o', 'name', '--', 'sleep', '60']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/tool\n');
    const p = (await c.api('GET', '/api/v1/namespaces/kube-system/pods/tool')).body;
    assert.deepEqual(p.metadata.labels, { app: 'tool', tier: 'ops' });
    assert.deepEqual(p.spec.containers[0].command, ['sleep', '60']);
    assert.equal(p.spec.containers[0].args, undefined);
    assert.equal(p.spec.restartPolicy, 'Always');

    const client = await c.kctl(['run', 'dry', '--image=nginx', '--dry-run=client']);
    assert.equal(client.stdout, 'pod/dry created (dry run)\n');
    const server = await c.kctl(['run', 'dry', '--image=nginx', '--dry-run=server', '-o', 'jsonpath={.metadata.labels.run}']);
    assert.equal(server.code, 0, server.stderr);
    assert.equal(server.stdout, 'dry');
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/pods/dry')).status, 404);
  });

  test("kubectl's errors; attaching refused before anything is sent", async () => {
    const cases: [string[], string][] = [
      [['run', 'x'], 'error: required flag(s) "image" not set\n'],
      [['run', '--image=nginx'], "error: NAME is required for run\nSee 'kctl run -h' for help and examples\n"],
      [['run', 'x', '--image=Nginx'], 'error: Invalid image name "Nginx": invalid reference format\n'],
      [['run', 'x', '--image=nginx', '--restart=Sometimes'], "error: invalid restart policy: Sometimes\nSee 'kctl run -h' for help and examples\n"],
      [['run', 'x', '--image=nginx', '--rm'], "error: --rm should only be used for attached containers\nSee 'kctl run -h' for help and examples\n"],
      [['run', 'x', '--image=nginx', '--env=1A=b'], 'error: invalid env: 1A=b\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await c.kctl(args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, stderr, args.join(' '));
    }
    const it = await c.kctl(['run', 'x', '--image=busybox', '-it', '--rm', '--restart=Never', '--', 'sh']);
    assert.equal(it.code, 1);
    assert.match(it.stderr, /^error: attaching to the pod .* is not supported yet/);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/pods/x')).status, 404);
  });

  test('logs TYPE/NAME: a kind without a selector, a Deployment without pods', async () => {
    const cm = await c.kctl(['logs', 'configmap/kube-root-ca.crt']);
    assert.equal(cm.stderr, 'error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n');
    const svc = await c.kctl(['logs', 'svc/kubernetes']);
    assert.equal(svc.stderr, "error: cannot get the logs from *v1.Service: invalid service 'kubernetes': Service is defined without a selector\n");
    assert.equal((await c.kctl(['create', 'deployment', 'idle', '--image=nginx', '--replicas=0'])).code, 0);
    const idle = await c.kctl(['logs', 'deploy/idle', '--pod-running-timeout=1s']);
    assert.equal(idle.code, 1);
    assert.equal(idle.stderr, 'error: timed out waiting for the condition\n');
  });
});

describe('kctl run and logs deploy/X on a node', () => {
  const { c } = useNodeCluster(['--nodes', '1']);
  const running = (p: any) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running);

  test("a run pod's args replace the image's command; its output is read back", async () => {
    const r = await c.kctl(['run', 'hello', '--image=busybox:1.35', '--restart=Never', '--', 'echo', 'hi from run']);
    assert.equal(r.code, 0, r.stderr);
    await c.waitForPod('hello', (p) => p.status?.phase === 'Succeeded', 60_000);
    const logs = await c.kctl(['logs', 'hello']);
    assert.equal(logs.stdout, 'hi from run\n');
  });

  test('logs deploy/X reads one of its pods and says which', async () => {
    const d = await c.kctl(['create', 'deployment', 'talk', '--image=busybox:1.35', '--replicas=2', '--', 'sh', '-c', 'echo talking; sleep 3600']);
    assert.equal(d.code, 0, d.stderr);
    let pods: any[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      pods = (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dtalk')).body.items;
      if (pods.length === 2 && pods.every(running)) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(pods.filter(running).length, 2, JSON.stringify(pods.map((p) => p.status)));
    const names = pods.map((p) => p.metadata.name);

    const r = await c.kctl(['logs', 'deploy/talk']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'talking\n');
    const found = /^Found 2 pods, using pod\/(\S+)\n$/.exec(r.stderr);
    assert.ok(found, r.stderr);
    assert.ok(names.includes(found[1]), `${found[1]} not in ${names}`);

    const rs = (await c.api('GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dtalk')).body.items[0];
    const viaRs = await c.kctl(['logs', `rs/${rs.metadata.name}`, '--prefix']);
    assert.equal(viaRs.code, 0, viaRs.stderr);
    assert.match(viaRs.stdout, /^\[pod\/talk-\S+\/busybox\] talking\n$/);
  });
});

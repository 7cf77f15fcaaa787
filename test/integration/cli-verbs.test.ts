// kctl's everyday verbs against a control plane (no node agents, no Docker): create deployment,
// expose it, create service nodeport, create ingress, patch (merge, json, strategic, no change),
// checked through the objects the API server stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/test-cluster.js';

describe('cli verbs', () => {
  const c = new TestCluster();
  const get = async (path: string) => {
    const r = await c.api('GET', path);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  before(async () => {
    await c.up([]);
  });
  after(async () => {
    await c.down();
  });

  test('create deployment builds app=NAME labels, one container per image, the port', async () => {
    const r = await c.kctl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=8080']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deployment.apps/web created\n');
    const d = await get('/apis/apps/v1/namespaces/default/deployments/web');
    assert.deepEqual(d.metadata.labels, { app: 'web' });
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(
      d.spec.template.spec.containers.map((x: any) => [x.name, x.image, x.ports]),
      [['nginx', 'nginx:1.25', [{ containerPort: 8080, protocol: 'TCP' }]]],
    );
    const dry = await c.kctl(['create', 'deployment', 'other', '--image=busybox', '--dry-run=client', '-o', 'name']);
    assert.equal(dry.stdout, 'deployment.apps/other\n');
    assert.equal((await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/other')).status, 404);
    const again = await c.kctl(['create', 'deployment', 'web', '--image=nginx']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'error: failed to create deployment: deployments.apps "web" already exists\n');
  });

  test("expose takes the deployment's selector and container port", async () => {
    const r = await c.kctl(['expose', 'deployment', 'web', '--type=NodePort']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'service/web exposed\n');
    const svc = await get('/api/v1/namespaces/default/services/web');
    assert.deepEqual(svc.spec.selector, { app: 'web' });
    assert.deepEqual(svc.metadata.labels, { app: 'web' });
    assert.equal(svc.spec.type, 'NodePort');
    assert.equal(svc.spec.ports.length, 1);
    assert.equal(svc.spec.ports[0].port, 8080);
    assert.equal(svc.spec.ports[0].targetPort, 8080);
    assert.equal(svc.spec.ports[0].protocol, 'TCP');
    assert.ok(svc.spec.clusterIP);
    const dup = await c.kctl(['expose', 'deployment/web', '--port=80', '--name=web2', '--target-port=http', '--dry-run=server', '-o', 'jsonpath={.spec.ports[0].targetPort}']);
    assert.equal(dup.code, 0, dup.stderr);
    assert.equal(dup.stdout, 'http');
    const ns = await c.kctl(['expose', 'namespace', 'default', '--port=80']);
    assert.equal(ns.code, 1);
    assert.equal(ns.stderr, 'error: cannot expose a Namespace\n');
  });

  test('create service nodeport gets a node port allocated, or the one asked for', async () => {
    const r = await c.kctl(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'service/np created\n');
    const svc = await get('/api/v1/namespaces/default/services/np');
    assert.deepEqual(svc.spec.selector, { app: 'np' });
    assert.equal(svc.spec.ports[0].name, '80-8080');
    assert.equal(svc.spec.ports[0].targetPort, 8080);
    assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767, String(svc.spec.ports[0].nodePort));
    const fixed = await c.kctl(['create', 'service', 'nodeport', 'np2', '--tcp=81', '--node-port=30081', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal(fixed.stdout, '30081');
    const headless = await c.kctl(['create', 'service', 'clusterip', 'db', '--clusterip=None']);
    assert.equal(headless.code, 0, headless.stderr);
    assert.equal((await get('/api/v1/namespaces/default/services/db')).spec.clusterIP, 'None');
  });

  test('create ingress builds rules, path types, TLS and the default backend', async () => {
    const r = await c.kctl(['create', 'ingress', 'site', '--rule=foo.com/api*=web:8080,tls=cert', '--rule=foo.com/=np:80', '--default-backend=np:80', '--class=kctl']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ingress.networking.k8s.io/site created\n');
    const ing = await get('/apis/networking.k8s.io/v1/namespaces/default/ingresses/site');
    assert.equal(ing.spec.ingressClassName, 'kctl');
    assert.deepEqual(ing.spec.defaultBackend, { service: { name: 'np', port: { number: 80 } } });
    assert.deepEqual(ing.spec.tls, [{ hosts: ['foo.com'], secretName: 'cert' }]);
    assert.deepEqual(ing.spec.rules, [
      {
        host: 'foo.com',
        http: {
          paths: [
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } },
            { path: '/', pathType: 'Exact', backend: { service: { name: 'np', port: { number: 80 } } } },
          ],
        },
      },
    ]);
  });

  test('patch: merge, json, strategic, and no change', async () => {
    const merge = await c.kctl(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    assert.equal(merge.code, 0, merge.stderr);
    assert.equal(merge.stdout, 'deployment.apps/web patched\n');
    assert.equal((await get('/apis/apps/v1/namespaces/default/deployments/web')).spec.replicas, 3);

    const json = await c.kctl(['patch', 'deploy/web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
    assert.equal(json.stdout, 'deployment.apps/web patched\n', json.stderr);
    assert.equal((await get('/apis/apps/v1/namespaces/default/deployments/web')).spec.replicas, 4);

    // Strategic: the container is merged by name, so its image changes and its port stays.
    const strategic = await c.kctl(['patch', 'deployment', 'web', '-p', 'spec: {template: {spec: {containers: [{name: nginx, image: "nginx:1.27"}]}}}']);
    assert.equal(strategic.stdout, 'deployment.apps/web patched\n', strategic.stderr);
    const [container] = (await get('/apis/apps/v1/namespaces/default/deployments/web')).spec.template.spec.containers;
    assert.equal(container.image, 'nginx:1.27');
    assert.equal(container.ports[0].containerPort, 8080);

    const same = await c.kctl(['patch', 'deployment', 'web', '-p', '{"spec":{"replicas":4}}']);
    assert.equal(same.stdout, 'deployment.apps/web patched (no change)\n', same.stderr);
    const scale = await c.kctl(['patch', 'deployment', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":5}}', '-o', 'name']);
    assert.equal(scale.stdout, 'scale.autoscaling/web\n', scale.stderr);
    const local = await c.kctl(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":9}}', '--dry-run=client', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(local.stdout, '9');
    assert.equal((await get('/apis/apps/v1/namespaces/default/deployments/web')).spec.replicas, 5);

    const missing = await c.kctl(['patch', 'deployment', 'nope', '-p', '{}']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
    const noPatch = await c.kctl(['patch', 'deployment', 'web']);
    assert.equal(noPatch.stderr, 'error: must specify --patch or --patch-file containing the contents of the patch\n');
  });
});

// kctl set env|resources|serviceaccount and kustomize / apply -k against a control plane; the
// kustomize output compared with the real kubectl's for the same directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';

describe('set and kustomize', () => {
  const c = new TestCluster();
  const write = (path: string, text: string) => {
    mkdirSync(join(c.home, path, '..'), { recursive: true });
    writeFileSync(join(c.home, path), text);
  };

  before(async () => {
    await c.up([]);
    write('base/kustomization.yaml', 'resources:\n- app.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - MODE=prod\nlabels:\n- pairs:\n    app: shop\n  includeSelectors: true\n');
    write(
      'base/app.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  selector:\n    matchLabels:\n      tier: web\n  template:\n    metadata:\n      labels:\n        tier: web\n    spec:\n' +
        '      containers:\n      - name: web\n        image: nginx:1.25\n        envFrom:\n        - configMapRef:\n            name: settings\n',
    );
    write('overlay/kustomization.yaml', 'resources:\n- ../base\nnamePrefix: stage-\ncommonAnnotations:\n  team: a\nimages:\n- name: nginx\n  newTag: "1.27"\n');
  });
  after(async () => {
    await c.down();
  });

  test('kustomize prints what kubectl kustomize prints', { skip: !kubectlAvailable() && 'kubectl is not installed' }, async () => {
    const dir = join(c.home, 'overlay');
    const [ours, theirs] = await Promise.all([c.kctl(['kustomize', dir]), c.kubectl(['kustomize', dir])]);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, theirs.stdout);
    assert.equal(ours.stderr, theirs.stderr);
  });

  test('apply -k creates the hashed ConfigMap and the Deployment that refers to it; a second apply changes nothing', async () => {
    const dir = join(c.home, 'overlay');
    const r = await c.kctl(['apply', '-k', dir]);
    assert.equal(r.code, 0, r.stderr);
    const cm = /configmap\/(stage-settings-\w{10}) created/.exec(r.stdout)?.[1];
    assert.ok(cm, r.stdout);
    assert.match(r.stdout, /deployment\.apps\/stage-shop created\n$/);
    const d = (await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/stage-shop')).body;
    assert.equal(d.spec.template.spec.containers[0].envFrom[0].configMapRef.name, cm);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.deepEqual(d.spec.selector.matchLabels, { tier: 'web', app: 'shop' });
    const again = await c.kctl(['apply', '-k', dir]);
    assert.match(again.stdout, /deployment\.apps\/stage-shop unchanged/);
    const both = await c.kctl(['apply', '-k', dir, '-f', dir]);
    assert.equal(both.stderr, 'error: only one of -f or -k can be specified\n');
  });

  test('create -k and delete -k take the same objects', async () => {
    const dir = join(c.home, 'base');
    const created = await c.kctl(['create', '-k', dir]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^configmap\/settings-\w{10} created\ndeployment\.apps\/shop created\n$/);
    const deleted = await c.kctl(['delete', '-k', dir]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /^configmap "settings-\w{10}" deleted\ndeployment\.apps "shop" deleted\n$/);
    assert.equal((await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/shop')).status, 404);
  });

  test('set env, resources and serviceaccount patch the pod template; --list shows it; no change prints nothing', async () => {
    await c.kctl(['create', 'secret', 'generic', 'creds', '--from-literal=db-pass=x']);
    assert.equal((await c.kctl(['set', 'env', 'deploy/stage-shop', 'A=1', '--from=secret/creds'])).stdout, 'deployment.apps/stage-shop env updated\n');
    const list = await c.kctl(['set', 'env', 'deploy/stage-shop', '--list']);
    assert.equal(list.stdout, '# Deployment stage-shop, container web\n# DB_PASS from secret creds, key db-pass\nA=1\n');
    assert.equal((await c.kctl(['set', 'env', 'deploy/stage-shop', 'A=1'])).stdout, '', 'nothing to change');
    assert.equal((await c.kctl(['set', 'env', 'deploy/stage-shop', 'A-'])).stdout, 'deployment.apps/stage-shop env updated\n');
    const res = await c.kctl(['set', 'resources', 'deployment', 'stage-shop', '--limits=cpu=0.5', '--requests=memory=64Mi']);
    assert.equal(res.stdout, 'deployment.apps/stage-shop resource requirements updated\n', res.stderr);
    assert.equal((await c.kctl(['set', 'sa', 'deploy/stage-shop', 'robot'])).stdout, 'deployment.apps/stage-shop serviceaccount updated\n');
    const spec = (await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/stage-shop')).body.spec.template.spec;
    assert.deepEqual(spec.containers[0].env, [{ name: 'DB_PASS', valueFrom: { secretKeyRef: { key: 'db-pass', name: 'creds' } } }]);
    assert.deepEqual(spec.containers[0].resources, { limits: { cpu: '500m' }, requests: { memory: '64Mi' } });
    assert.equal(spec.serviceAccountName, 'robot');
    const bad = await c.kctl(['set', 'resources', 'deploy/stage-shop', '-c', 'nope', '--limits=cpu=1']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: unable to find container named nope\n');
  });
});

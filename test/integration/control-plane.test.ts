// The control plane end to end: `kctl cluster up` in a temporary KCTL_HOME, driven through
// bin/kctl, the raw API and the real kubectl, then `cluster down`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, REPO, kubectlAvailable } from '../helpers/test-cluster.js';

const DJANGO = join(REPO, 'manifests/django.yaml');

describe('control plane', () => {
  const c = new TestCluster();
  const scratch = mkdtempSync(join(tmpdir(), 'kctl-it-files-'));
  const file = (name: string, text: string) => {
    const p = join(scratch, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    await c.up();
  });
  after(async () => {
    await c.down();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('cluster up writes a private kubeconfig and the daemon answers', async () => {
    const mode = statSync(join(c.home, 'kubeconfig')).mode & 0o777;
    assert.equal(mode, 0o600);
    const v = await c.kctl(['version']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /Server Version: v1\.\d+/);
    const status = await c.kctl(['cluster', 'status']);
    assert.equal(status.code, 0);
    assert.match(status.stdout, /ready/);
  });

  test('apply creates, is idempotent, and keeps what other writers own', async () => {
    // As in many real manifests, replicas is left to whoever scales the Deployment.
    const noReplicas = file('django.yaml', readFileSync(DJANGO, 'utf8').replace('  replicas: 1\n', ''));
    const first = await c.kctl(['apply', '-f', noReplicas]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'secret/postgres-credentials created\ndeployment.apps/django created\nservice/django-service created\n');
    const again = await c.kctl(['apply', '-f', noReplicas]);
    assert.equal(again.stdout, 'secret/postgres-credentials unchanged\ndeployment.apps/django unchanged\nservice/django-service unchanged\n');

    const scaled = await c.api('PATCH', '/apis/apps/v1/namespaces/default/deployments/django/scale', { spec: { replicas: 4 } }, {
      'Content-Type': 'application/merge-patch+json',
    });
    assert.equal(scaled.status, 200, scaled.text);
    writeFileSync(noReplicas, readFileSync(noReplicas, 'utf8').replace('value: redis-service', 'value: redis-2'));
    const changed = await c.kctl(['apply', '-f', noReplicas]);
    assert.match(changed.stdout, /deployment\.apps\/django configured/);
    const dep = (await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/django')).body;
    assert.equal(dep.spec.replicas, 4, 'the count set by scale survives an apply of a manifest without replicas');
    assert.equal(dep.spec.template.spec.containers[0].env.find((e: any) => e.name === 'REDIS_HOST').value, 'redis-2');
    assert.equal(dep.metadata.generation, 3, 'the scale and the template change each bump generation');
  });

  test('get prints kubectl columns, selectors and output formats', async () => {
    const deploy = await c.kctl(['get', 'deploy']);
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout.split('\n')[0], /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    // No nodes here: the controllers make the pods, none can run.
    assert.match(deploy.stdout, /^django\s+0\/4\s+\d+\s+0\s+\d+s$/m);
    const svc = await c.kctl(['get', 'svc', 'django-service', '-o', 'jsonpath={.spec.type} {.spec.ports[0].port}']);
    assert.equal(svc.stdout, 'NodePort 8000');
    const names = await c.kctl(['get', 'deploy,svc', '-o', 'name']);
    // The default/kubernetes Service is there too, as on any cluster.
    assert.equal(names.stdout, 'deployment.apps/django\nservice/django-service\nservice/kubernetes\n');
    const labels = await c.kctl(['get', 'deployments.apps', '--show-labels', '-l', 'deployment=django']);
    assert.match(labels.stdout, /deployment=django/);
    const none = await c.kctl(['get', 'pods', '-l', 'app=nothing']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const missing = await c.kctl(['get', 'deploy', 'nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
    const yaml = await c.kctl(['get', 'secret', 'postgres-credentials', '-o', 'yaml']);
    assert.match(yaml.stdout, /^apiVersion: v1\ndata:\n {2}password: Y2hhbmdlLW1l\n/);
    const unknown = await c.kctl(['get', 'foos']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /the server doesn't have a resource type "foos"/);
  });

  test('describe shows kubectl sections with Events last', async () => {
    const d = await c.kctl(['describe', 'deploy/django']);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /^Name:\s+django$/m);
    assert.match(d.stdout, /^Replicas:\s+4 desired/m);
    assert.match(d.stdout, /POSTGRES_USER:\s+<set to the key 'user' in secret 'postgres-credentials'>/);
    // The deployment controller's events come last.
    assert.match(d.stdout.trimEnd(), /\nEvents:\n(.*\n)*\s+Normal\s+ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set django-[a-z0-9]+ (from \d+ )?to \d+$/);
  });

  test('a YAML syntax error points at file, line and column and changes nothing', async () => {
    const bad = file('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: [1, 2\n');
    const r = await c.kctl(['apply', '-f', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${bad}:\\d+:\\d+: YAML syntax error`));
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/broken')).status, 404);
  });

  test('schema errors name every invalid field with its line; valid documents still apply', async () => {
    const multi = file(
      'multi.yaml',
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good-one\ndata:\n  a: "1"\n',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad-deploy\nspec:\n  replicas: many\n  bogus: 1\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n      - name: c\n        image: busybox:1.35\n',
        'apiVersion: v1\nkind: Gizmo\nmetadata:\n  name: what\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good-two\n',
      ].join('---\n'),
    );
    const r = await c.kctl(['apply', '-f', multi]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /configmap\/good-one created/);
    assert.match(r.stdout, /configmap\/good-two created/);
    assert.match(r.stderr, /Error from server \(Invalid\)/);
    assert.match(r.stderr, new RegExp(`${multi}:13:3: spec\\.replicas: .*integer`));
    assert.match(r.stderr, new RegExp(`${multi}:14:3: spec\\.bogus: unknown field`));
    assert.match(r.stderr, /no matches for kind "Gizmo" in version "v1".*Deployment \(apps\/v1\)/);
    assert.equal((await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/bad-deploy')).status, 404);
  });

  test('the API answers with Kubernetes Status errors and never stores bad input', async () => {
    const malformed = await c.api('POST', '/api/v1/namespaces/default/configmaps', '{"metadata": {"name": ');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.kind, 'Status');
    assert.equal(malformed.body.reason, 'BadRequest');
    const unauth = await c.api('GET', '/api/v1/pods', undefined, {}, false);
    assert.equal(unauth.status, 401);
    assert.equal(unauth.body.reason, 'Unauthorized');
    assert.equal((await c.api('GET', '/healthz', undefined, {}, false)).status, 200);
    const noNs = await c.api('POST', '/api/v1/namespaces/nowhere/configmaps', { metadata: { name: 'x' } });
    assert.equal(noNs.status, 404);
    assert.equal(noNs.body.message, 'namespaces "nowhere" not found');
    const badName = await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'Bad_Name' } });
    assert.equal(badName.status, 422);
    assert.equal(badName.body.details.causes[0].field, 'metadata.name');
    const dry = await c.api('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { metadata: { name: 'dry' } });
    assert.equal(dry.status, 201);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });

  test('garbage in never crashes the daemon nor stores anything', async () => {
    const before = (await c.api('GET', '/api/v1/configmaps')).body.items.length;
    const bodies: unknown[] = ['[]', 'null', '42', '"x"', '{"metadata": 5}', '{"metadata": {"name": {"a": 1}}}', '{"kind": "Pod"}', '{"apiVersion": "v2"}', '\u0000\u0001', '{"data": {"k": 1}}', 'x'.repeat(4 * 1024 * 1024)];
    const paths = ['/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/configmaps/x', '/apis/apps/v1/namespaces/default/deployments/x/scale', '/api/v1/namespaces/default/pods/x/binding', '/api/v1/namespaces/%zz/configmaps', '/apis/nope/v1/things', '/api/v1/namespaces/default/configmaps/x/nosuch/deeper'];
    for (const path of paths) {
      // GET and DELETE on a collection path are valid requests (a list; deleting the collection).
      const collection = path.endsWith('/configmaps');
      for (const method of collection ? ['POST', 'PUT', 'PATCH'] : ['POST', 'PUT', 'PATCH', 'DELETE', 'GET']) {
        for (const body of method === 'GET' ? [undefined] : bodies) {
          const r = await c.api(method, path, body, method === 'PATCH' ? { 'Content-Type': 'application/merge-patch+json' } : {});
          assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} ${String(body).slice(0, 30)} -> ${r.status} ${r.text.slice(0, 200)}`);
          assert.equal(r.body?.kind, 'Status', `${method} ${path}: ${r.text.slice(0, 200)}`);
        }
      }
    }
    assert.equal((await c.api('GET', '/readyz', undefined, {}, false)).status, 200);
    assert.equal((await c.api('GET', '/api/v1/configmaps')).body.items.length, before);
  });

  test('optimistic concurrency, generateName, generation and status split', async () => {
    const created = await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'gen-' }, data: { v: '1' } });
    assert.equal(created.status, 201);
    const name = created.body.metadata.name;
    assert.match(name, /^gen-[a-z0-9]{5}$/);
    assert.match(created.body.metadata.uid, /^[0-9a-f-]{36}$/);
    const stale = created.body.metadata.resourceVersion;
    const upd = await c.api('PUT', `/api/v1/namespaces/default/configmaps/${name}`, { ...created.body, data: { v: '2' } });
    assert.equal(upd.status, 200);
    const conflict = await c.api('PUT', `/api/v1/namespaces/default/configmaps/${name}`, { ...created.body, data: { v: '3' } });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    assert.notEqual(upd.body.metadata.resourceVersion, stale);

    const dep = (await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/django')).body;
    const withStatus = await c.api('PUT', '/apis/apps/v1/namespaces/default/deployments/django', { ...dep, status: { replicas: 99 } });
    assert.equal(withStatus.status, 200);
    assert.notEqual(withStatus.body.status?.replicas, 99, 'the main resource ignores status');
    const viaStatus = await c.api('PUT', '/apis/apps/v1/namespaces/default/deployments/django/status', { ...withStatus.body, status: { replicas: 7 } });
    assert.equal(viaStatus.status, 200, viaStatus.text);
    assert.equal(viaStatus.body.status.replicas, 7);
    assert.equal(viaStatus.body.metadata.generation, withStatus.body.metadata.generation);
  });

  test('watch delivers events from a resourceVersion, and list pages with limit/continue', async () => {
    const start = (await c.api('GET', '/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion;
    for (let i = 0; i < 5; i++) await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `page-${i}`, labels: { page: 'yes' } } });
    const events = await c.watch(`/api/v1/namespaces/default/configmaps?watch=true&labelSelector=page%3Dyes&resourceVersion=${start}`, 5);
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), [0, 1, 2, 3, 4].map((i) => `ADDED page-${i}`));

    const p1 = (await c.api('GET', '/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes&limit=2')).body;
    assert.equal(p1.items.length, 2);
    assert.ok(p1.metadata.continue);
    const p2 = (await c.api('GET', `/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes&limit=2&continue=${p1.metadata.continue}`)).body;
    const p3 = (await c.api('GET', `/api/v1/namespaces/default/configmaps?labelSelector=page%3Dyes&limit=2&continue=${p2.metadata.continue}`)).body;
    assert.deepEqual([...p1.items, ...p2.items, ...p3.items].map((i: any) => i.metadata.name), [0, 1, 2, 3, 4].map((i) => `page-${i}`));
    assert.equal(p3.metadata.continue, undefined);
  });

  test('a whole list larger than the pages it is read in comes out whole, at one revision', async () => {
    await c.api('POST', '/api/v1/namespaces', { metadata: { name: 'big-list' } });
    const n = 1234;
    for (let i = 0; i < n; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => c.api('POST', '/api/v1/namespaces/big-list/configmaps', { metadata: { name: `cm-${String(i + j).padStart(4, '0')}`, labels: { odd: String((i + j) % 2) } } })));
    }
    const all = await c.api('GET', '/api/v1/namespaces/big-list/configmaps');
    assert.equal(all.status, 200);
    // Beside the kube-root-ca.crt ConfigMap every namespace gets.
    assert.deepEqual(all.body.items.map((o: any) => o.metadata.name), [...Array.from({ length: n }, (_, i) => `cm-${String(i).padStart(4, '0')}`), 'kube-root-ca.crt']);
    assert.equal(all.body.kind, 'ConfigMapList');
    assert.equal(all.body.metadata.continue, undefined);
    const rv = all.body.metadata.resourceVersion;
    assert.ok(Math.max(...all.body.items.map((o: any) => Number(o.metadata.resourceVersion))) <= Number(rv));
    const odd = (await c.api('GET', '/api/v1/namespaces/big-list/configmaps?labelSelector=odd%3D1')).body;
    assert.equal(odd.items.length, n / 2);
    await c.api('DELETE', '/api/v1/namespaces/big-list/configmaps/cm-0000');
    // resourceVersion=N without a limit is "not older than N": the current state, not the state at N.
    const later = (await c.api('GET', `/api/v1/namespaces/big-list/configmaps?resourceVersion=${rv}`)).body;
    assert.equal(later.items.length, n);
    await c.api('DELETE', '/api/v1/namespaces/big-list');
  });

  test('get -w prints the table, then a row per change', async () => {
    const child = spawn(process.execPath, [join(REPO, 'bin/kctl'), 'get', 'cm', '-l', 'watched=yes', '-w'], { env: c.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // The watch is established once the empty list has been reported on stderr.
      await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
      await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'watched-cm', labels: { watched: 'yes' } }, data: { a: '1' } });
      const deadline = Date.now() + 5000;
      while (!/watched-cm/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /^NAME\s+DATA\s+AGE\nwatched-cm\s+1\s+\d+s\n/);
    } finally {
      child.kill();
    }
  });

  test('the real kubectl works against the daemon', { skip: !kubectlAvailable() && 'kubectl is not installed' }, async () => {
    const get = await c.kubectl(['get', 'deploy']);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndjango\s+0\/4/);
    const pods = await c.kubectl(['get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
    const cm = file('kubectl-cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-kubectl\ndata:\n  a: "1"\n');
    const created = await c.kubectl(['apply', '-f', cm]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /configmap\/from-kubectl created/);
    writeFileSync(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-kubectl\ndata:\n  a: "2"\n  b: "3"\n');
    const updated = await c.kubectl(['apply', '-f', cm]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /configmap\/from-kubectl configured/);
    const yaml = await c.kubectl(['get', 'configmap', 'from-kubectl', '-o', 'yaml']);
    assert.match(yaml.stdout, /a: "2"\n {2}b: "3"/);
    const depYaml = await c.kubectl(['get', 'deploy', 'django', '-o', 'yaml']);
    assert.match(depYaml.stdout, /kind: Deployment/);
    const described = await c.kubectl(['describe', 'deploy', 'django']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /^Name:\s+django$/m);
    const del = await c.kubectl(['delete', 'configmap', 'from-kubectl']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /configmap "from-kubectl" deleted/);
  });

  test('delete waits for the object to go; a second delete is NotFound', async () => {
    const d = await c.kctl(['delete', 'deploy', 'django']);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout, 'deployment.apps "django" deleted\n');
    const again = await c.kctl(['delete', 'deploy', 'django']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Error from server \(NotFound\): deployments\.apps "django" not found/);
    const bySelector = await c.kctl(['delete', 'cm', '-l', 'page=yes']);
    assert.equal(bySelector.code, 0, bySelector.stderr);
    assert.equal(bySelector.stdout.split('\n').filter(Boolean).length, 5);
  });

  test('backup and restore bring the store back, revisions still moving forward', async () => {
    const backupFile = join(scratch, 'backup.db');
    await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'keep-me' } });
    const b = await c.kctl(['cluster', 'backup', backupFile]);
    assert.equal(b.code, 0, b.stderr);
    await c.api('DELETE', '/api/v1/namespaces/default/configmaps/keep-me');
    const before = Number((await c.api('GET', '/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion);
    const r = await c.kctl(['cluster', 'restore', backupFile]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/keep-me')).status, 200);
    const next = await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-restore' } });
    assert.ok(Number(next.body.metadata.resourceVersion) > before);
  });

  test('deleting a namespace deletes what is in it, then the namespace', async () => {
    assert.equal((await c.kctl(['create', 'namespace', 'doomed'])).code, 0);
    await c.api('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'inside' } });
    await c.api('POST', '/api/v1/namespaces/doomed/secrets', { metadata: { name: 'inside' } });
    const d = await c.kctl(['delete', 'namespace', 'doomed', '--timeout', '20s']);
    assert.equal(d.code, 0, d.stderr);
    assert.equal((await c.api('GET', '/api/v1/namespaces/doomed')).status, 404);
    assert.equal((await c.api('GET', '/api/v1/namespaces/doomed/configmaps/inside')).status, 404);
  });

  test('the garbage collector follows ownerReferences: background, foreground and orphan', async () => {
    const owner = async (name: string) => (await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name } })).body;
    const dependent = async (name: string, o: any) =>
      c.api('POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, blockOwnerDeletion: true }] },
      });
    const gone = async (name: string) => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if ((await c.api('GET', `/api/v1/namespaces/default/configmaps/${name}`)).status === 404) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    await dependent('dep-bg', await owner('owner-bg'));
    assert.equal((await c.kctl(['delete', 'cm', 'owner-bg'])).code, 0);
    assert.ok(await gone('dep-bg'), 'a dependent of a deleted owner is collected');

    await dependent('dep-fg', await owner('owner-fg'));
    const fg = await c.kctl(['delete', 'cm', 'owner-fg', '--cascade=foreground', '--timeout', '20s']);
    assert.equal(fg.code, 0, fg.stderr);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/dep-fg')).status, 404, 'foreground: dependents go first');

    await dependent('dep-or', await owner('owner-or'));
    const or = await c.kctl(['delete', 'cm', 'owner-or', '--cascade=orphan', '--timeout', '20s']);
    assert.equal(or.code, 0, or.stderr);
    const orphan = await c.api('GET', '/api/v1/namespaces/default/configmaps/dep-or');
    assert.equal(orphan.status, 200);
    assert.equal(orphan.body.metadata.ownerReferences, undefined);
  });

  test('a second cluster runs side by side with its own home and port', async () => {
    const other = new TestCluster();
    try {
      await other.up();
      assert.notEqual(other.port, c.port);
      await other.kctl(['create', 'namespace', 'only-here']);
      const here = await other.kctl(['get', 'ns', 'only-here', '-o', 'name']);
      assert.equal(here.stdout, 'namespace/only-here\n');
      const there = await c.kctl(['get', 'ns', 'only-here']);
      assert.equal(there.code, 1);
    } finally {
      await other.down();
    }
  });
});

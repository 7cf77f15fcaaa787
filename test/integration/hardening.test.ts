// A hostile or careless user against a real daemon (no nodes): bad bodies answered with 4xx
// Statuses and nothing stored, CLI mistakes reported in one line, a restore that refuses a junk
// file with the cluster still up, ends old watches with 410 and keeps the cluster's options, and
// a store that is private and keeps Secrets encrypted at rest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from '../helpers/test-cluster.js';
import { KIND_FIXTURES } from '../helpers/kind-fixtures.js';

const CMS = '/api/v1/namespaces/default/configmaps';

function deep(levels: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

const BOMB = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';

describe('hardening', () => {
  const c = new TestCluster();
  const scratch = mkdtempSync(join(tmpdir(), 'kctl-it-hard-'));
  const file = (name: string, text: string) => {
    const p = join(scratch, name);
    writeFileSync(p, text);
    return p;
  };

  let upOutput = '';
  before(async () => {
    // A home left open by an older kctl or a plain mkdir.
    chmodSync(c.home, 0o755);
    upOutput = (await c.up(['--compact-interval-seconds', '7'])).stdout;
  });
  after(async () => {
    await c.down();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('the inputs that were 500s are 4xx Statuses worded as Kubernetes words them, and store nothing', async () => {
    const before = (await c.api('GET', CMS)).body.metadata.resourceVersion;
    const cases: Array<{ method: string; path: string; body: unknown; headers?: Record<string, string>; status: number; message: RegExp }> = [
      { method: 'GET', path: `${CMS}?limit=1e99`, body: undefined, status: 400, message: /strconv\.ParseInt: parsing "1e99": invalid syntax/ },
      { method: 'POST', path: '/apis/batch/v1/namespaces/default/jobs', body: { ...KIND_FIXTURES.Job(), metadata: {} }, status: 422, message: /^Job\.batch "" is invalid: metadata\.name: Required value: name or generateName is required$/ },
      { method: 'POST', path: CMS, body: JSON.stringify({ metadata: { name: 'deep' }, data: deep(3000) }), status: 400, message: /exceeded max depth/ },
      { method: 'POST', path: CMS, body: `metadata: {name: bomb}\n${BOMB}`, headers: { 'Content-Type': 'application/yaml' }, status: 400, message: /error converting YAML to JSON: .*alias/ },
      { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: { ...KIND_FIXTURES.Deployment(), spec: { ...KIND_FIXTURES.Deployment().spec, replicas: 2147483648 } }, status: 400, message: /^Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec\.spec\.replicas of type int32$/ },
      { method: 'POST', path: '/api/v1/namespaces/default/pods', body: (() => { const p = KIND_FIXTURES.Pod(); p.spec.containers[0].resources = { requests: { cpu: '-100m' } }; return p; })(), status: 422, message: /spec\.containers\[0\]\.resources\.requests\[cpu\]: Invalid value: "-100m": must be greater than or equal to 0/ },
      { method: 'POST', path: '/api/v1/namespaces/default/pods', body: (() => { const p = KIND_FIXTURES.Pod(); p.spec.containers[0].resources = { limits: { memory: '1.5.5' } }; return p; })(), status: 400, message: /^Pod in version "v1" cannot be handled as a Pod: / },
      { method: 'POST', path: CMS, body: '{"metadata": {"name": "proto"}, "__proto__": {"polluted": "yes"}}', status: 400, message: /unknown field "__proto__"/ },
    ];
    for (const k of cases) {
      const r = await c.api(k.method, k.path, k.body, k.headers);
      assert.equal(r.status, k.status, `${k.method} ${k.path}: ${r.text.slice(0, 300)}`);
      assert.equal(r.body.kind, 'Status');
      assert.match(r.body.message, k.message);
    }
    // The scale subresource: out of range, then negative.
    assert.equal((await c.api('POST', '/apis/apps/v1/namespaces/default/deployments', KIND_FIXTURES.Deployment())).status, 201);
    const scalePath = '/apis/apps/v1/namespaces/default/deployments/web/scale';
    const overflow = await c.api('PATCH', scalePath, { spec: { replicas: 2147483648 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(overflow.status, 400, overflow.text);
    const negative = await c.api('PUT', scalePath, { metadata: { name: 'web' }, spec: { replicas: -1 } });
    assert.equal(negative.status, 422, negative.text);
    assert.equal(negative.body.message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.equal((await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body.spec.replicas, 2);
    // Nothing but the deployment was written.
    const cms = (await c.api('GET', CMS)).body;
    assert.ok(Number(cms.metadata.resourceVersion) >= Number(before));
    assert.deepEqual(cms.items.map((i: any) => i.metadata.name).filter((n: string) => ['deep', 'bomb', 'proto'].includes(n)), []);
    // null map values are what Go decodes them to: the label a="" and the Secret key a with no bytes.
    const labelled = await c.api('POST', CMS, { metadata: { name: 'nulls', labels: { a: null } } });
    assert.equal(labelled.status, 201, labelled.text);
    assert.deepEqual(labelled.body.metadata.labels, { a: '' });
    const secret = await c.api('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'nulls' }, data: { a: null } });
    assert.equal(secret.status, 201, secret.text);
    assert.deepEqual(secret.body.data, { a: '' });
    assert.equal((await c.api('GET', '/readyz', undefined, {}, false)).status, 200);
  });

  test('apply of a file without objects fails like kubectl; YAML alias errors are one line with the position', async () => {
    for (const [name, text] of [['empty.yaml', ''], ['comments.yaml', '# nothing\n# here\n'], ['dashes.yaml', '---\n---\n'], ['null.yaml', 'null\n']]) {
      const r = await c.kctl(['apply', '-f', file(name, text)]);
      assert.equal(r.code, 1, `${name}: ${r.stdout}`);
      assert.equal(r.stderr, 'error: no objects passed to apply\n');
    }
    const bomb = await c.kctl(['apply', '-f', file('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n${BOMB}`)]);
    assert.equal(bomb.code, 1);
    assert.match(bomb.stderr, /^error: .*bomb\.yaml:\d+:\d+: YAML error: .*alias.*\n$/);
    const unresolved = await c.kctl(['apply', '-f', file('alias.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *nope\n')]);
    assert.equal(unresolved.code, 1);
    assert.match(unresolved.stderr, /alias\.yaml:4:9: YAML error: Unresolved alias/);
    for (const r of [bomb, unresolved]) assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal((await c.api('GET', `${CMS}/bomb`)).status, 404);
  });

  test('the store is private and a Secret applied with stringData is nowhere on disk in plaintext', async () => {
    assert.match(upOutput, /was 0755, readable by other users: made it 0700/);
    const db = join(c.home, 'kctl.db');
    const modes = [c.home, db, `${db}-wal`, `${db}-shm`, join(c.home, 'pki/encryption-config.yaml')].map((f) => [f, (statSync(f).mode & 0o777).toString(8)]);
    assert.deepEqual(modes, [[c.home, '700'], ...modes.slice(1).map(([f]) => [f, '600'])]);
    const secretValue = 'hunter2-but-longer-and-unique';
    const manifest = file('secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-creds\nstringData:\n  password: ${secretValue}\n`);
    const applied = await c.kctl(['apply', '-f', manifest]);
    assert.equal(applied.code, 0, applied.stderr);
    const got = await c.api('GET', '/api/v1/namespaces/default/secrets/app-creds');
    assert.equal(Buffer.from(got.body.data.password, 'base64').toString(), secretValue);
    assert.match(got.body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], new RegExp(secretValue));
    const backupFile = join(scratch, 'secret-backup.db');
    assert.equal((await c.kctl(['cluster', 'backup', backupFile])).code, 0);
    assert.equal((statSync(backupFile).mode & 0o777).toString(8), '600');
    const disk = [db, `${db}-wal`, backupFile].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    // The keys (paths) are stored as they are, as etcd's are; what is in the object is not.
    for (const needle of [secretValue, Buffer.from(secretValue).toString('base64'), '"name":"app-creds"']) assert.ok(!disk.includes(needle), `${needle} is on disk`);
    assert.ok(disk.includes('k8s:enc:secretbox:v1:key1:'));
  });

  test('restore refuses a junk file with the cluster still answering; then ends old watches with 410 and keeps the options', async () => {
    const junk = file('junk.db', 'this is not a database');
    const refused = await c.kctl(['cluster', 'restore', junk]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /junk\.db is not a kctl backup/);
    assert.equal((await c.api('GET', '/readyz', undefined, {}, false)).status, 200);
    const missing = await c.kctl(['cluster', 'restore', join(scratch, 'nope.db')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.db: no such file/);

    const backupFile = join(scratch, 'backup.db');
    assert.equal((await c.kctl(['cluster', 'backup', backupFile])).code, 0);
    await c.api('POST', CMS, { metadata: { name: 'after-backup' } });
    // A watcher fully caught up at the restore.
    const caughtUp = (await c.api('GET', CMS)).body.metadata.resourceVersion;
    const pidBefore = JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8')).apiserverPid;
    const restored = await c.kctl(['cluster', 'restore', backupFile]);
    assert.equal(restored.code, 0, restored.stderr);
    const resumed = await c.watch(`${CMS}?watch=1&resourceVersion=${caughtUp}`, 1, 5000);
    assert.equal(resumed[0]?.type, 'ERROR', JSON.stringify(resumed));
    assert.equal((resumed[0].object as any).code, 410);
    assert.equal((await c.api('GET', `${CMS}/after-backup`)).status, 404);
    // Same options: the compaction interval given to cluster up.
    const state = JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8'));
    assert.notEqual(state.apiserverPid, pidBefore);
    const cmdline = readFileSync(`/proc/${state.apiserverPid}/cmdline`, 'utf8').split('\0');
    assert.equal(cmdline[cmdline.indexOf('--compact-interval-seconds') + 1], '7');
  });
});

// kctl edit, diff and replace against a control plane: the editor is a script, diff the system's
// diff; exit codes and texts as kubectl's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TestCluster, REPO, run } from '../helpers/test-cluster.js';

describe('edit, diff, replace', () => {
  const c = new TestCluster();
  const file = (name: string, text: string) => {
    const path = join(c.home, name);
    writeFileSync(path, text);
    return path;
  };
  const editor = (name: string, script: string) => {
    const path = file(name, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const kctlWith = (env: Record<string, string>, args: string[]) => run(process.execPath, [join(REPO, 'bin/kctl'), ...args], { ...c.env, ...env });
  const cm = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: "${value}"\n`;

  before(async () => {
    await c.up([]);
  });
  after(async () => {
    await c.down();
  });

  test('diff: exit 1 with a unified diff of live and merged, 0 when the same, 2 on an error', async () => {
    const manifest = file('conf.yaml', cm('1'));
    const missing = await c.kctl(['diff', '-f', manifest]);
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stdout, /^diff -u -N \/tmp\/LIVE-\w+\/v1\.ConfigMap\.default\.conf \/tmp\/MERGED-\w+\/v1\.ConfigMap\.default\.conf\n/);
    assert.match(missing.stdout, /\n\+  a: "1"\n/);
    assert.equal((await c.kctl(['apply', '-f', manifest])).code, 0);
    const same = await c.kctl(['diff', '-f', manifest]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, '');
    const changed = await c.kctl(['diff', '-f', file('conf2.yaml', cm('2'))]);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /\n-  a: "1"\n\+  a: "2"\n/);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/conf')).body.data.a, '1', 'diff changes nothing');
    const external = await kctlWith({ KUBECTL_EXTERNAL_DIFF: 'echo compared' }, ['diff', '-f', manifest]);
    assert.match(external.stdout, /^\/tmp\/LIVE-\w+ \/tmp\/MERGED-\w+ compared\n$/);
    const secret = await c.kctl(['diff', '-f', file('s.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  pw: hunter2\n')]);
    assert.equal(secret.code, 1);
    assert.ok(!secret.stdout.includes('hunter2') && !secret.stdout.includes('aHVudGVyMg'), secret.stdout);
    assert.match(secret.stdout, /\+  pw: '\*\*\* \(after\)'/);
    const broken = await c.kctl(['diff', '-f', file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^Error from server \(Invalid\): /);
  });

  test('replace: puts the file in place of the object; --force deletes and creates; a missing object is an error', async () => {
    const r = await c.kctl(['replace', '-f', file('conf3.yaml', cm('3'))]);
    assert.equal(r.stdout, 'configmap/conf replaced\n', r.stderr);
    const stored = (await c.api('GET', '/api/v1/namespaces/default/configmaps/conf')).body;
    assert.equal(stored.data.a, '3');
    assert.equal(stored.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined, 'as kubectl, the annotation goes with a file without it');
    const forced = await c.kctl(['replace', '--force', '-f', file('conf4.yaml', cm('4'))]);
    assert.equal(forced.stdout, 'configmap "conf" deleted\nconfigmap/conf replaced\n', forced.stderr);
    assert.notEqual((await c.api('GET', '/api/v1/namespaces/default/configmaps/conf')).body.metadata.uid, stored.metadata.uid);
    const path = file('nothere.yaml', cm('x').replace('name: conf', 'name: nothere'));
    const missing = await c.kctl(['replace', '-f', path]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `Error from server (NotFound): error when replacing "${path}": configmaps "nothere" not found\n`);
  });

  test('edit: the change is patched; no change cancels; an invalid save re-opens with the reasons, then gives up keeping a copy', async () => {
    const seen = join(c.home, 'seen.txt');
    const ok = await kctlWith({ EDITOR: editor('ok.sh', `cp "$1" ${seen}; sed -i 's/a: "4"/a: "5"/' "$1"`) }, ['edit', 'configmap', 'conf']);
    assert.equal(ok.stdout, 'configmap/conf edited\n', ok.stderr);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/conf')).body.data.a, '5');
    assert.match(readFileSync(seen, 'utf8'), /^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n[^]*#\napiVersion: v1\ndata:\n  a: "4"\n/);
    const none = await kctlWith({ EDITOR: 'true', KUBE_EDITOR: '' }, ['edit', 'cm/conf']);
    assert.equal(none.code, 0);
    assert.equal(none.stderr, 'Edit cancelled, no changes made.\n');
    await c.kctl(['create', 'deployment', 'web', '--image=nginx']);
    const log = join(c.home, 'rounds.txt');
    const bad = await kctlWith({ KUBE_EDITOR: editor('bad.sh', `cat "$1" >> ${log}; sed -i 's/replicas: 1$/replicas: -1/' "$1"`) }, ['edit', 'deploy/web']);
    assert.equal(bad.code, 1);
    const copy = /A copy of your changes has been stored to "([^"]+)"/.exec(bad.stderr)?.[1];
    assert.ok(copy && existsSync(copy), bad.stderr);
    const kept = readFileSync(copy!, 'utf8');
    rmSync(dirname(copy!), { recursive: true, force: true });
    assert.match(kept, /replicas: -1/);
    assert.equal(bad.stderr, `error: deployments.apps "web" is invalid\nA copy of your changes has been stored to "${copy}"\nerror: Edit cancelled, no valid changes were saved.\n`);
    assert.match(readFileSync(log, 'utf8'), /#\n# deployments\.apps "web" was not valid:\n# \* spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n/);
    assert.equal((await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body.spec.replicas, 1);
  });
});

// kctl config, cluster-info, api-versions and events against a control plane, each compared with
// what the real kubectl prints for the same cluster and files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable, run } from '../helpers/test-cluster.js';

describe('config, cluster-info, api-versions, events', { skip: !kubectlAvailable() && 'kubectl is not installed' }, () => {
  const c = new TestCluster();

  before(async () => {
    await c.up([]);
  });
  after(async () => {
    await c.down();
  });

  test('api-versions, cluster-info and config view print what kubectl prints', async () => {
    for (const args of [['api-versions'], ['cluster-info'], ['config', 'view'], ['config', 'view', '--minify', '-o', 'json'], ['config', 'get-contexts'], ['config', 'current-context']]) {
      const [ours, theirs] = await Promise.all([c.kctl(args), c.kubectl(args)]);
      assert.equal(ours.stdout, theirs.stdout, args.join(' '));
      assert.equal(ours.code, theirs.code);
    }
  });

  test('config set-context, set-cluster, set-credentials, use-context and delete-context write what kubectl writes', async () => {
    const steps = [
      ['config', 'set-context', 'dev', '--cluster=kctl', '--user=kctl-admin', '--namespace=dev'],
      ['config', 'set-cluster', 'other', '--server=https://127.0.0.1:1', '--insecure-skip-tls-verify'],
      ['config', 'set-credentials', 'someone', '--token=t0ken'],
      ['config', 'use-context', 'dev'],
      ['config', 'set-context', '--current', '--namespace=dev2'],
      ['config', 'use-context', 'nope'],
      ['config', 'delete-context', 'kctl'],
      ['config', 'delete-context', 'nope'],
      ['config', 'view'],
      ['config', 'get-contexts'],
    ];
    const ours = join(c.home, 'ours.yaml');
    const theirs = join(c.home, 'theirs.yaml');
    // A YAML file: kubectl rewrites whatever it reads as YAML, and so does kctl for a YAML file.
    const yaml = (await c.kubectl(['config', 'view', '--raw'])).stdout;
    for (const f of [ours, theirs]) writeFileSync(f, yaml);
    for (const step of steps) {
      const a = await run(process.execPath, [join(process.cwd(), 'bin/kctl'), ...step], { ...c.env, KUBECONFIG: ours });
      const b = await run('kubectl', step, { ...c.env, KUBECONFIG: theirs });
      assert.equal(a.stdout, b.stdout.replaceAll(theirs, ours), step.join(' '));
      assert.equal(a.stderr, b.stderr.replaceAll(theirs, ours), step.join(' '));
      assert.equal(a.code, b.code, step.join(' '));
    }
    assert.equal(readFileSync(ours, 'utf8'), readFileSync(theirs, 'utf8'));
    // kctl's own JSON kubeconfig stays JSON (read without a YAML parser) and still works.
    const json = join(c.home, 'copy.json');
    copyFileSync(join(c.home, 'kubeconfig'), json);
    const set = await run(process.execPath, [join(process.cwd(), 'bin/kctl'), 'config', 'set-context', 'kctl', '--namespace=kube-system'], { ...c.env, KUBECONFIG: json });
    assert.equal(set.stdout, 'Context "kctl" modified.\n');
    assert.equal(JSON.parse(readFileSync(json, 'utf8')).contexts[0].context.namespace, 'kube-system');
    const get = await run(process.execPath, [join(process.cwd(), 'bin/kctl'), 'get', 'pods'], { ...c.env, KUBECONFIG: json });
    assert.equal(get.code, 0, get.stderr);
  });

  test('events: the same table as kubectl events, filtered by --for and --types', async () => {
    await c.kctl(['create', 'deployment', 'web', '--image=nginx']);
    const deadline = Date.now() + 10_000;
    while (!(await c.kctl(['events'])).stdout.includes('FailedScheduling') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    for (const args of [['events'], ['events', '-A', '--types=Warning'], ['events', '--for=deployment/web'], ['events', '-n', 'empty-ns'], ['events', '--types=foo']]) {
      const [ours, theirs] = await Promise.all([c.kctl(args), c.kubectl(args)]);
      // Ages may tick over between the two runs.
      const ageless = (s: string) => s.replace(/\b\d+(ms|s|m)\b/g, 'AGE');
      assert.equal(ageless(ours.stdout), ageless(theirs.stdout), args.join(' '));
      assert.equal(ours.stderr, theirs.stderr, args.join(' '));
    }
    assert.match((await c.kctl(['events'])).stdout, /ScalingReplicaSet\s+Deployment\/web\s+Scaled up replica set web-/);
  });
});

// kctl proxy against a control plane: the API through it (the real kubectl too), its host filter,
// --api-prefix, a watch streamed through; kctl completion's script for bash.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { REPO, TestCluster, kubectlAvailable, run } from '../helpers/test-cluster.js';

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      })
      .on('error', reject);
  });
}

describe('proxy and completion', () => {
  const c = new TestCluster();
  let proxy: ChildProcess | undefined;
  let port = 0;

  before(async () => {
    await c.up([]);
    proxy = spawn(process.execPath, [join(REPO, 'bin/kctl'), 'proxy', '--port=0', '--api-prefix=/k8s/'], { env: c.env });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      proxy!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out);
      });
      proxy!.on('exit', (code) => reject(new Error(`proxy exited ${code}`)));
    });
    assert.match(line, /^Starting to serve on 127\.0\.0\.1:\d+\n$/);
    port = Number(/:(\d+)/.exec(line)![1]);
  });
  after(async () => {
    proxy?.kill('SIGTERM');
    await c.down();
  });

  test('the API answers through the proxy under its prefix; other hosts are refused', async () => {
    const ns = await get(port, '/k8s/api/v1/namespaces/default');
    assert.equal(ns.status, 200, ns.text);
    assert.equal(JSON.parse(ns.text).metadata.name, 'default');
    assert.equal((await get(port, '/api/v1/namespaces')).status, 404, 'outside the prefix');
    const evil = await get(port, '/k8s/api/v1/namespaces', `evil.example:${port}`);
    assert.deepEqual(evil, { status: 403, text: 'Forbidden\n' });
    const missing = await get(port, '/k8s/api/v1/namespaces/default/configmaps/nope');
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.text).reason, 'NotFound');
  });

  test('the real kubectl works through the proxy without credentials', { skip: !kubectlAvailable() && 'kubectl is not installed' }, async () => {
    const r = await run('kubectl', ['--kubeconfig=/dev/null', `--server=http://127.0.0.1:${port}/k8s`, 'get', 'namespaces', '-o', 'name'], { ...process.env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /namespace\/default\n/);
  });

  test('completion bash: a script bash loads, completing commands; other shells refused', async () => {
    const script = await c.kctl(['completion', 'bash']);
    assert.equal(script.code, 0, script.stderr);
    const words = ['kctl', 'config', 'use-'];
    const r = await run('bash', ['-c', `source /dev/stdin <<'EOF'\n${script.stdout}\nEOF\nCOMP_WORDS=(${words.join(' ')}); COMP_CWORD=2; __kctl_start; echo "\${COMPREPLY[*]}"`], c.env);
    assert.equal(r.stdout.trim(), 'use-context');
    assert.match((await c.kctl(['completion', 'zsh'])).stdout, /^#compdef kctl\n/);
    const fish = await c.kctl(['completion', 'fish']);
    assert.equal(fish.stderr, 'error: Unsupported shell type "fish".\n');
  });
});

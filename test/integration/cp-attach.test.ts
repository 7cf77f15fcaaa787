// kctl cp and attach on a real node agent: cp both directions through pods/exec and the
// container's tar; attach to a container's own output and stdin through pods/attach (API server ->
// agent -> Docker attach); the real kubectl alongside. Runs under the integration lock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, kubectlAvailable } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';

/** Runs a command for a while, then interrupts it: what it printed. */
function runFor(cmd: string, args: string[], env: NodeJS.ProcessEnv, ms: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    setTimeout(() => child.kill('SIGINT'), ms);
    child.on('close', () => resolve({ stdout, stderr }));
  });
}

describe('cp and attach', () => {
  const { c } = useNodeCluster(['--nodes', '1']);

  test('a file and a directory into a container and back out; tar removes the leading / and says so', async () => {
    await c.createPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'box' },
      spec: { nodeName: 'node-1', containers: [{ name: 'box', image: 'busybox:1.35', command: ['sh', '-c', 'mkdir -p /data && sleep 3600'] }] },
    });
    await c.waitForPod('box', (p) => p.status?.phase === 'Running', 60_000);
    const local = join(c.home, 'cp');
    mkdirSync(join(local, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(local, 'note.txt'), 'hello from the host\n');
    writeFileSync(join(local, 'tree', 'a.txt'), 'a\n');
    writeFileSync(join(local, 'tree', 'sub', 'b.bin'), Buffer.alloc(70_000, 9));

    const up = await c.kctl(['cp', join(local, 'note.txt'), 'box:/data/note.txt']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await c.kctl(['exec', 'box', '--', 'cat', '/data/note.txt'])).stdout, 'hello from the host\n');
    const dir = await c.kctl(['cp', join(local, 'tree'), 'default/box:/data']);
    assert.equal(dir.code, 0, dir.stderr);
    assert.equal((await c.kctl(['exec', 'box', '--', 'sh', '-c', 'cat /data/tree/a.txt; wc -c < /data/tree/sub/b.bin'])).stdout.replace(/ +/g, ''), 'a\n70000\n');

    const down = await c.kctl(['cp', 'box:/data/tree', join(local, 'back')]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /removing leading '\/' from member names/);
    assert.equal(readFileSync(join(local, 'back', 'a.txt'), 'utf8'), 'a\n');
    assert.equal(readFileSync(join(local, 'back', 'sub', 'b.bin')).length, 70_000);
    const file = await c.kctl(['cp', 'box:/data/note.txt', join(local, 'note-back.txt')]);
    assert.equal(file.code, 0, file.stderr);
    assert.equal(readFileSync(join(local, 'note-back.txt'), 'utf8'), 'hello from the host\n');

    const missing = await c.kctl(['cp', join(local, 'nope'), 'box:/data']);
    assert.equal(missing.stderr, `error: ${join(local, 'nope')} doesn't exist in local filesystem\n`);
    const both = await c.kctl(['cp', 'a', 'b']);
    assert.equal(both.stderr, 'error: one of src or dest must be a remote file specification\n');

    if (kubectlAvailable()) {
      const theirs = await c.kubectl(['cp', 'box:/data/tree/a.txt', join(local, 'kubectl-a.txt')]);
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.equal(readFileSync(join(local, 'kubectl-a.txt'), 'utf8'), 'a\n');
    }
  });

  test("attach follows a container's own output; -i feeds its stdin until it ends", async () => {
    const pod = (name: string, script: string, stdin = false) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: 'node-1', restartPolicy: 'Never', containers: [{ name, image: 'busybox:1.35', command: ['sh', '-c', script], stdin, stdinOnce: stdin }] },
    });
    await c.createPod(pod('ticker', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.3; done'));
    await c.createPod(pod('reader', 'read line; echo got $line', true));
    await Promise.all(['ticker', 'reader'].map((p) => c.waitForPod(p, (x) => x.status?.phase === 'Running', 60_000)));
    const ticks = await runFor(process.execPath, [join(REPO, 'bin/kctl'), 'attach', 'ticker'], c.env, 2500);
    assert.match(ticks.stdout, /^tick \d+\ntick \d+\n/, ticks.stderr);
    const fed = await c.kctl(['attach', '-i', 'reader'], 'hello\n');
    assert.equal(fed.code, 0, fed.stderr);
    assert.equal(fed.stdout, 'got hello\n');
    const none = await c.kctl(['attach', 'nope']);
    assert.equal(none.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    if (kubectlAvailable()) {
      const theirs = await runFor('kubectl', ['attach', 'ticker'], c.env, 2500);
      assert.match(theirs.stdout, /tick \d+\n/, theirs.stderr);
    }
  });
});

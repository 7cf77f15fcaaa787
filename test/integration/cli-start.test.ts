// bin/kctl runs a command's bundled file compiled from a V8 code cache it writes beside the file at
// the first run. The cache must never change what kctl does: not when several kctl start at once,
// not when it cannot be written (a read-only install), not when it is damaged or left from another
// build. Each test runs a copy of bin/ and the bundle (dist/cli, made by `npm run build`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/test-cluster.js';

interface Copy {
  root: string;
  bundle: string;
}

function copyOfKctl(t: { after(fn: () => void): void }): Copy {
  const root = mkdtempSync(join(tmpdir(), 'kctl-start-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(REPO, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
  // The bundle without the caches runs in the repository left there.
  cpSync(join(REPO, 'dist/cli'), join(root, 'dist/cli'), { recursive: true, filter: (f) => !f.endsWith('.cache') });
  return { root, bundle: join(root, 'dist/cli') };
}

function kctl(copy: Copy, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(copy.root, 'bin/kctl'), ...args], {
      env: { ...process.env, KCTL_HOME: join(copy.root, 'home'), KUBECONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const caches = (copy: Copy) => readdirSync(copy.bundle).filter((f) => f.endsWith('.cache'));

async function assertVersion(copy: Copy): Promise<void> {
  const r = await kctl(copy, ['version', '--client']);
  assert.deepEqual(r, { code: 0, stdout: 'Client Version: kctl v0.1.0\n', stderr: '' });
}

test('the first run writes a code cache for its command, which the next runs use as it is', async (t) => {
  const copy = copyOfKctl(t);
  await assertVersion(copy);
  const written = caches(copy);
  assert.equal(written.length, 1);
  assert.match(written[0], /^version\.cjs\.\d+\.cache$/);
  const { mtimeMs, size } = statSync(join(copy.bundle, written[0]));
  await assertVersion(copy);
  // An accepted cache is not written again.
  assert.deepEqual(caches(copy), written);
  assert.equal(statSync(join(copy.bundle, written[0])).mtimeMs, mtimeMs);
  assert.ok(size > 1000, `a cache of ${size} bytes`);
});

test('eight kctl starting at once with no cache all run, and leave one whole cache', async (t) => {
  const copy = copyOfKctl(t);
  const runs = await Promise.all(Array.from({ length: 8 }, () => kctl(copy, ['version', '--client'])));
  for (const r of runs) assert.deepEqual(r, { code: 0, stdout: 'Client Version: kctl v0.1.0\n', stderr: '' });
  // No temporary file is left, and the cache they wrote is accepted: it is not rewritten.
  const [cache, ...others] = caches(copy);
  assert.deepEqual(others, []);
  assert.deepEqual(readdirSync(copy.bundle).filter((f) => /\.cache\.\d+$/.test(f)), []);
  const { mtimeMs } = statSync(join(copy.bundle, cache));
  await assertVersion(copy);
  assert.equal(statSync(join(copy.bundle, cache)).mtimeMs, mtimeMs);
});

test('a damaged cache is ignored and replaced', async (t) => {
  const copy = copyOfKctl(t);
  await assertVersion(copy);
  const [cache] = caches(copy);
  writeFileSync(join(copy.bundle, cache), Buffer.alloc(5000, 7));
  await assertVersion(copy);
  assert.ok(statSync(join(copy.bundle, cache)).size > 5000, 'the damaged cache was written anew');
});

test("a rebuilt command's file is not compiled from the cache of the file it replaced", async (t) => {
  const copy = copyOfKctl(t);
  await assertVersion(copy);
  const [old] = caches(copy);
  // A rebuild: the same command's file, newer and different (as a build writes it).
  const file = join(copy.bundle, 'version.cjs');
  cpSync(join(REPO, 'dist/cli/version.cjs'), file);
  writeFileSync(file, '\n// rebuilt\n', { flag: 'a' });
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  await assertVersion(copy);
  assert.equal(caches(copy).length, 2, 'a cache of the new file beside the old one');
  assert.ok(caches(copy).includes(old));
});

test('kctl runs when the cache cannot be written (read-only install)', async (t) => {
  const copy = copyOfKctl(t);
  // Where the cache would go is a directory: reading it and renaming onto it fail, as in a
  // read-only dist/ (a test run as root cannot make one with permissions alone).
  const mtime = Math.trunc(statSync(join(copy.bundle, 'version.cjs')).mtimeMs);
  mkdirSync(join(copy.bundle, `version.cjs.${mtime}.cache`, 'x'), { recursive: true });
  await assertVersion(copy);
  await assertVersion(copy);
  assert.deepEqual(readdirSync(copy.bundle).filter((f) => /\.cache\.\d+$/.test(f)), [], 'no temporary cache file is left');
});

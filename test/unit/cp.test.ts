// kctl cp's tar archives (checked against the system's tar: what it extracts from ours, what we
// read of its) and its path rules.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localEntries } from '../../src/cli/commands/cp.js';
import { archivePrefix, localTarget, parseFileSpec } from '../../src/cli/cp-paths.js';
import { createTar, readTar } from '../../src/api/tar-archive.js';

const dir = mkdtempSync(join(tmpdir(), 'kctl-cp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('tar: what kctl writes, tar extracts (long names too); what tar writes, kctl reads', () => {
  const long = `${'d'.repeat(60)}/${'f'.repeat(70)}.txt`;
  const archive = createTar([
    { type: 'file', path: 'top/a.txt', mode: 0o640, content: Buffer.from('alpha\n') },
    { type: 'file', path: `top/${long}`, content: Buffer.alloc(1500, 7) },
    { type: 'directory', path: 'top/empty' },
  ]);
  const out = join(dir, 'x');
  mkdirSync(out);
  const x = spawnSync('tar', ['-xmf', '-', '-C', out], { input: archive });
  assert.equal(x.status, 0, x.stderr.toString());
  assert.equal(readFileSync(join(out, 'top/a.txt'), 'utf8'), 'alpha\n');
  assert.equal(readFileSync(join(out, 'top', long)).length, 1500);
  const c = spawnSync('tar', ['cf', '-', '-C', out, 'top']);
  const entries = readTar(c.stdout);
  assert.deepEqual(entries.map((e) => [e.path.replace(/\/$/, ''), e.type]).sort(), [
    ['top', 'directory'],
    ['top/a.txt', 'file'],
    [`top/${'d'.repeat(60)}`, 'directory'],
    [`top/${long}`, 'file'],
    ['top/empty', 'directory'],
  ].sort());
  const a = entries.find((e) => e.path === 'top/a.txt');
  assert.equal(a?.type === 'file' && a.content.toString(), 'alpha\n');
  assert.deepEqual(localEntries(join(out, 'top'), 'dest').map((e) => e.path).sort(), [`dest/${long}`, 'dest/a.txt', 'dest/empty'].sort());
  // GNU tar's own long-name records read back too.
  const gnu = spawnSync('tar', ['--format=gnu', '-cf', '-', '-C', out, `top/${long}`]);
  assert.deepEqual(readTar(gnu.stdout).map((e) => e.path), [`top/${long}`]);
});

test('cp paths: [[ns/]pod:]path, the archive prefix, nothing outside the destination', () => {
  assert.deepEqual(parseFileSpec('web-1:/etc/hosts'), { pod: 'web-1', path: '/etc/hosts' });
  assert.deepEqual(parseFileSpec('prod/web-1:logs'), { namespace: 'prod', pod: 'web-1', path: 'logs' });
  assert.deepEqual(parseFileSpec('./local'), { path: './local' });
  assert.throws(() => parseFileSpec(':x'), /filespec must match the canonical format/);
  assert.equal(archivePrefix('/etc/../etc/nginx/'), 'etc/nginx');
  assert.equal(archivePrefix('../../tmp/x'), 'tmp/x');
  assert.equal(localTarget('etc/nginx/conf.d/a.conf', 'etc/nginx', '/out'), '/out/conf.d/a.conf');
  assert.equal(localTarget('etc/hostname', 'etc/hostname', '/out/h'), '/out/h');
  assert.equal(localTarget('etc/nginx/../../../x', 'etc/nginx', '/out'), undefined);
  assert.throws(() => localTarget('other/file', 'etc', '/out'), /tar contents corrupted/);
});

// Encryption at rest of Secrets and a private store: what is on disk (database, WAL, backups)
// reveals no Secret value, not even one sent as stringData inside kubectl's last-applied annotation;
// keys rotate with the first provider writing and all reading; files are 0600, the home 0700.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/apiserver/storage/sqlite-store.js';
import { EncryptionConfigError, newEncryptionConfig, parseEncryptionConfig } from '../../src/apiserver/storage/encryption-config.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { findByKind } from '../../src/api/resources.js';
import { ensurePrivateDir } from '../../src/api/private-dir.js';

const SECRETS = findByKind('Secret')!;
const NS = findByKind('Namespace')!;
const CMS = findByKind('ConfigMap')!;
const PLAIN = 'correct-horse-battery-staple';

function config(providers: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n${providers}`;
}

const key = (bytes = 32) => randomBytes(bytes).toString('base64');
const provider = (type: string, name: string, secret: string) => `      - ${type}:\n          keys:\n            - name: ${name}\n              secret: ${secret}\n`;

function withDir(fn: (dir: string) => void | Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kctl-enc-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Every byte of the store on disk: the database and its WAL. */
function onDisk(file: string): string {
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
}

function open(file: string, cfg?: string): { store: SqliteStore; registry: Registry } {
  const store = new SqliteStore(file, { transformerFor: cfg ? parseEncryptionConfig(cfg) : undefined });
  const registry = new Registry(store);
  if (!registry.tryGet(NS, undefined, 'default')) registry.create(NS, undefined, { metadata: { name: 'default' } });
  return { store, registry };
}

for (const type of ['secretbox', 'aesgcm', 'aescbc']) {
  test(
    `${type}: a Secret, its stringData in the last-applied annotation included, is never on disk in plaintext`,
    withDir(async (dir) => {
      const file = join(dir, 'kctl.db');
      const { store, registry } = open(file, config(provider(type, 'key1', key())));
      const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, stringData: { password: PLAIN } });
      registry.create(SECRETS, 'default', {
        metadata: { name: 'db', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
        stringData: { password: PLAIN },
      });
      registry.create(CMS, 'default', { metadata: { name: 'visible' }, data: { note: 'plain-config-value' } });
      // Read back through the store, the watch replay and a list: plaintext to the API.
      assert.equal(Buffer.from(registry.get(SECRETS, 'default', 'db').data.password, 'base64').toString(), PLAIN);
      const replayed: string[] = [];
      store.watch('/core/secrets/', 0, (e) => replayed.push(e.value), () => {}).close();
      assert.match(replayed[0], /"kind":"Secret"/);
      assert.equal(registry.list(SECRETS, 'default').rows.length, 1);
      const backup = join(dir, 'backup.db');
      await store.backup(backup);
      const disk = onDisk(file) + onDisk(backup);
      for (const secret of [PLAIN, Buffer.from(PLAIN).toString('base64'), 'last-applied-configuration']) assert.ok(!disk.includes(secret), `${secret} is on disk`);
      assert.ok(disk.includes('plain-config-value'), 'ConfigMaps are not encrypted by this config');
      assert.ok(disk.includes(`k8s:enc:${type}:v1:key1:`));
      store.close();
    }),
  );
}

test(
  'rotation: a new key written first, the old still read; a no-op update rewrites with the new key; then the old key can go',
  withDir((dir) => {
    const file = join(dir, 'kctl.db');
    const [k1, k2] = [key(), key()];
    let { store, registry } = open(file, config(provider('aescbc', 'key1', k1)));
    registry.create(SECRETS, 'default', { metadata: { name: 's' }, stringData: { v: PLAIN } });
    store.close();
    ({ store, registry } = open(file, config(provider('secretbox', 'key2', k2) + provider('aescbc', 'key1', k1))));
    const row = store.get('/core/secrets/default/s')!;
    assert.equal(row.stale, true);
    const before = store.currentRevision;
    // What `kubectl get secrets -A -o json | kubectl replace -f -` does: the same object written back.
    const current = registry.get(SECRETS, 'default', 's');
    registry.update(SECRETS, 'default', 's', current);
    assert.equal(store.currentRevision, before + 1, 'the stale value was rewritten');
    assert.equal(store.get('/core/secrets/default/s')!.stale, false);
    // Once rewritten, a second no-op update writes nothing, as Kubernetes does.
    registry.update(SECRETS, 'default', 's', registry.get(SECRETS, 'default', 's'));
    assert.equal(store.currentRevision, before + 1);
    store.close();
    ({ store, registry } = open(file, config(provider('secretbox', 'key2', k2))));
    assert.equal(Buffer.from(registry.get(SECRETS, 'default', 's').data.v, 'base64').toString(), PLAIN);
    store.close();
    // Without the key that wrote it, the value cannot be read, and the store says why.
    ({ store } = { store: new SqliteStore(file, { transformerFor: parseEncryptionConfig(config(provider('secretbox', 'key3', key()))) }) });
    assert.throws(() => store.get('/core/secrets/default/s'), /encrypted with secretbox:v1:key2, which no configured provider has/);
    store.close();
  }),
);

test(
  'turning encryption on for an existing store: old plain values read through identity and are rewritten when written',
  withDir((dir) => {
    const file = join(dir, 'kctl.db');
    let { store, registry } = open(file);
    registry.create(SECRETS, 'default', { metadata: { name: 'old' }, stringData: { v: PLAIN } });
    store.close();
    ({ store, registry } = open(file, config(`${provider('secretbox', 'key1', key())}      - identity: {}\n`)));
    assert.equal(store.get('/core/secrets/default/old')!.stale, true);
    registry.update(SECRETS, 'default', 'old', registry.get(SECRETS, 'default', 'old'));
    // The plain revision stays in the history until compaction drops it (the daemon compacts on a
    // timer); then nothing of it is left on disk.
    assert.ok(onDisk(file).includes(Buffer.from(PLAIN).toString('base64')));
    store.compact(store.currentRevision);
    assert.ok(!onDisk(file).includes(Buffer.from(PLAIN).toString('base64')));
    store.close();
  }),
);

test('a new cluster\'s configuration encrypts Secrets with secretbox; bad configurations are refused naming the entry', () => {
  const transformerFor = parseEncryptionConfig(newEncryptionConfig());
  assert.equal(transformerFor('/core/secrets/default/x')?.encrypts, true);
  assert.equal(transformerFor('/core/configmaps/default/x'), undefined);
  const bad: Array<[string, RegExp]> = [
    [config(provider('secretbox', 'k', key(16))), /providers\[0\]\.secretbox\.keys\[0\]\.secret: must be base64 of 32 bytes, got 16 bytes/],
    [config('      - kms:\n          name: x\n'), /kms providers are not supported/],
    [config('      - rot13: {}\n'), /unknown provider "rot13"/],
    ['kind: Nope\n', /must be apiVersion: apiserver\.config\.k8s\.io\/v1, kind: EncryptionConfiguration/],
    [config(provider('aescbc', 'k', key()) + provider('aescbc', 'k', key())).replace('secrets]', 'widgets]'), /"widgets" is not a resource/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseEncryptionConfig(text), (err: Error) => err instanceof EncryptionConfigError && message.test(err.message));
});

test(
  'the store, its WAL and backups are 0600; an open home is tightened to 0700 and reported',
  withDir(async (dir) => {
    const previous = process.umask(0o022);
    try {
      const home = join(dir, 'home');
      mkdirSync(home, { mode: 0o755 });
      chmodSync(home, 0o755);
      assert.equal(ensurePrivateDir(home), 0o755);
      assert.equal(statSync(home).mode & 0o777, 0o700);
      assert.equal(ensurePrivateDir(home), undefined);
      const file = join(home, 'kctl.db');
      const store = new SqliteStore(file);
      store.create('/core/configmaps/default/a', { metadata: { name: 'a' } });
      await store.backup(join(home, 'backup.db'));
      for (const f of [file, `${file}-wal`, `${file}-shm`, join(home, 'backup.db')]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
      store.close();
      chmodSync(file, 0o644);
      new SqliteStore(file).close();
      assert.equal(statSync(file).mode & 0o777, 0o600, 'an existing store is tightened');
    } finally {
      process.umask(previous);
    }
  }),
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { writeAtomically } from '../../src/nodeagent/pods/volumes/atomic-writer.js';
import { downwardAPIPayload } from '../../src/nodeagent/pods/volumes/downward-api-volume.js';
import { tmpfsSizeBytes } from '../../src/nodeagent/pods/volumes/empty-dir-volume.js';
import { setUpHostPath } from '../../src/nodeagent/pods/volumes/host-path-volume.js';
import { keyToPathPayload, MountError, type Payload } from '../../src/nodeagent/pods/volumes/payload.js';
import { ServiceAccountTokens, type TokenRequest } from '../../src/nodeagent/pods/volumes/service-account-token.js';
import { containerMounts } from '../../src/nodeagent/pods/volumes/volume-mounts.js';
import type { MountSource } from '../../src/nodeagent/pods/volumes/volume-context.js';

const data = { a: Buffer.from('A'), b: Buffer.from('B') };
const missing = (k: string) => `configmap references non-existent config key: ${k}`;

test('keyToPath: every key with defaultMode (0644 unless set)', () => {
  const p = keyToPathPayload(data, undefined, undefined, false, missing);
  assert.deepEqual([...p].map(([k, v]) => [k, v.data.toString(), v.mode]), [['a', 'A', 0o644], ['b', 'B', 0o644]]);
  assert.equal(keyToPathPayload(data, [], 0o400, false, missing).get('a')?.mode, 0o400);
});

test('keyToPath: items pick keys, set paths and per-item modes; a missing key fails unless optional', () => {
  const p = keyToPathPayload(data, [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }, { key: 'a', path: 'a' }], 0o440, false, missing);
  assert.deepEqual([...p].map(([k, v]) => [k, v.mode]), [['dir/b.txt', 0o600], ['a', 0o440]]);
  assert.throws(() => keyToPathPayload(data, [{ key: 'zz', path: 'z' }], undefined, false, missing), new MountError('configmap references non-existent config key: zz'));
  assert.equal(keyToPathPayload(data, [{ key: 'zz', path: 'z' }], undefined, true, missing).size, 0);
});

test('downwardAPI items: labels file, name, resources of a named container', () => {
  const pod: Pod = {
    metadata: { name: 'p', labels: { z: '1', a: 'x' } },
    spec: { containers: [{ name: 'app', resources: { limits: { memory: '32Mi' } } }] },
  };
  const p = downwardAPIPayload(
    pod,
    [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' }, mode: 0o400 },
      { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
    ],
    undefined,
    { hostIPs: [], podIPs: [], allocatable: {} },
  );
  assert.equal(p.get('labels')!.data.toString(), 'a="x"\nz="1"');
  assert.equal(p.get('name')!.mode, 0o400);
  assert.equal(p.get('mem')!.data.toString(), '32');
  assert.throws(
    () => downwardAPIPayload(pod, [{ path: 'x', resourceFieldRef: { containerName: 'nope', resource: 'limits.cpu' } }], undefined, { hostIPs: [], podIPs: [], allocatable: {} }),
    MountError,
  );
});

function payload(entries: Record<string, [string, number]>): Payload {
  return new Map(Object.entries(entries).map(([k, [d, mode]]) => [k, { data: Buffer.from(d), mode }]));
}

test('AtomicWriter: files behind a ..data symlink, exact modes, stale files removed on update', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-aw-'));
  try {
    await writeAtomically(dir, payload({ key: ['v1', 0o400], 'sub/nested': ['n', 0o644] }));
    const first = readlinkSync(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);
    assert.equal(readlinkSync(join(dir, 'key')), '..data/key');
    assert.equal(readFileSync(join(dir, 'sub/nested'), 'utf8'), 'n');
    assert.equal(statSync(join(dir, 'key')).mode & 0o777, 0o400);

    await writeAtomically(dir, payload({ key: ['v1', 0o400], 'sub/nested': ['n', 0o644] }));
    assert.equal(readlinkSync(join(dir, '..data')), first, 'same content: nothing rewritten');

    await writeAtomically(dir, payload({ key: ['v2', 0o644] }));
    assert.notEqual(readlinkSync(join(dir, '..data')), first);
    assert.equal(readFileSync(join(dir, 'key'), 'utf8'), 'v2');
    assert.ok(!existsSync(join(dir, 'sub')), 'a file no longer in the payload goes');
    assert.ok(!existsSync(join(dir, first)), 'the old timestamped directory goes');
    assert.deepEqual(readdirSync(dir).sort(), ['..data', readlinkSync(join(dir, '..data')), 'key'].sort());
    await assert.rejects(writeAtomically(dir, payload({ '../escape': ['x', 0o644] })), MountError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hostPath types: OrCreate makes, the others check with the kubelet messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-hp-'));
  try {
    await setUpHostPath({ path: join(dir, 'd/e'), type: 'DirectoryOrCreate' });
    assert.ok(statSync(join(dir, 'd/e')).isDirectory());
    await setUpHostPath({ path: join(dir, 'f'), type: 'FileOrCreate' });
    assert.ok(lstatSync(join(dir, 'f')).isFile());
    writeFileSync(join(dir, 'g'), 'x');
    await assert.rejects(setUpHostPath({ path: join(dir, 'g'), type: 'Directory' }), { message: `hostPath type check failed: ${join(dir, 'g')} is not a directory` });
    await assert.rejects(setUpHostPath({ path: join(dir, 'd'), type: 'File' }), { message: `hostPath type check failed: ${join(dir, 'd')} is not a file` });
    await assert.rejects(setUpHostPath({ path: join(dir, 'g'), type: 'Socket' }), { message: `hostPath type check failed: ${join(dir, 'g')} is not a socket file` });
    await assert.rejects(setUpHostPath({ path: join(dir, 'absent'), type: 'Directory' }), { message: `hostPath type check failed: ${join(dir, 'absent')} is not a directory` });
    assert.deepEqual(await setUpHostPath({ path: join(dir, 'g'), type: '' }), { kind: 'bind', path: join(dir, 'g'), readOnly: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tmpfs size: sizeLimit, else the node allocatable memory', () => {
  assert.equal(tmpfsSizeBytes({ medium: 'Memory', sizeLimit: '16Mi' }, { memory: '1Gi' }), 16n * 1024n * 1024n);
  assert.equal(tmpfsSizeBytes({ medium: 'Memory' }, { memory: '1Gi' }), 1024n ** 3n);
  assert.equal(tmpfsSizeBytes({ medium: 'Memory' }, {}), undefined);
});

test('volumeMounts → Docker mounts: read-only sources, subPath, subPathExpr, named volumes, unknown volume', () => {
  const volumes = new Map<string, MountSource>([
    ['data', { kind: 'bind', path: '/v/data', readOnly: false }],
    ['cfg', { kind: 'bind', path: '/v/cfg', readOnly: true }],
    ['mem', { kind: 'volume', name: 'kctl_u_mem' }],
  ]);
  const r = containerMounts(
    {
      name: 'app',
      volumeMounts: [
        { name: 'data', mountPath: '/data' },
        { name: 'data', mountPath: '/logs', subPathExpr: 'logs/$(POD)', readOnly: true },
        { name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf' },
        { name: 'mem', mountPath: '/scratch' },
      ],
    },
    volumes,
    new Map([['POD', 'web-1']]),
  );
  assert.deepEqual(r.mounts, [
    { Type: 'bind', Source: '/v/data', Target: '/data', ReadOnly: false },
    { Type: 'bind', Source: '/v/data/logs/web-1', Target: '/logs', ReadOnly: true },
    { Type: 'bind', Source: '/v/cfg/app.conf', Target: '/etc/app.conf', ReadOnly: true },
    { Type: 'volume', Source: 'kctl_u_mem', Target: '/scratch', ReadOnly: false },
  ]);
  assert.deepEqual(r.subPathDirs, ['/v/data/logs/web-1', '/v/cfg/app.conf']);
  assert.throws(() => containerMounts({ name: 'app', volumeMounts: [{ name: 'x', mountPath: '/x' }] }, volumes, new Map()), {
    message: 'cannot find volume "x" to mount into container "app"',
  });
  assert.throws(() => containerMounts({ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/x', subPath: '../etc' }] }, volumes, new Map()), MountError);
});

test('service account tokens: the TokenRequest shape, reused until 80% of their life', async () => {
  const requests: [string, string, TokenRequest][] = [];
  const tokens = new ServiceAccountTokens(async (ns, sa, req) => {
    requests.push([ns, sa, req]);
    return { ...req, status: { token: `t${requests.length}`, expirationTimestamp: new Date(1_000_000 + 3600_000).toISOString() } };
  });
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { serviceAccountName: 'sa', containers: [] } };
  const source = { path: 'token', audience: 'api', expirationSeconds: 3600 };
  assert.equal(await tokens.token(pod, source, 1_000_000), 't1');
  assert.deepEqual(requests[0], [
    'ns',
    'sa',
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } },
    },
  ]);
  assert.equal(await tokens.token(pod, source, 1_000_000 + 2000_000), 't1');
  assert.equal(await tokens.token(pod, source, 1_000_000 + 2900_000), 't2');
  tokens.forget('u');
  assert.equal(await tokens.token(pod, source, 1_000_000 + 2900_000), 't3');
  const failing = new ServiceAccountTokens(async () => {
    throw new Error('serviceaccounts "sa" not found');
  });
  await assert.rejects(failing.token(pod, source), new MountError('failed to fetch token: serviceaccounts "sa" not found'));
});

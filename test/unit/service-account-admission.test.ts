import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findByKind } from '../../src/api/resources.js';
import { ApiError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/types.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { SqliteStore } from '../../src/apiserver/storage/sqlite-store.js';
import { admitServiceAccount } from '../../src/apiserver/registry/service-account-admission.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const SAS = findByKind('ServiceAccount')!;
const NAMESPACES = findByKind('Namespace')!;
const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

function withRegistry(fn: (registry: Registry) => Promise<void> | void) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kctl-saadm-'));
    const store = new SqliteStore(join(dir, 'kctl.db'));
    try {
      const registry = new Registry(store, { serviceAccountAdmission: true });
      registry.create(NAMESPACES, undefined, { metadata: { name: 'default' } });
      await fn(registry);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'a pod gets the kube-api-access projected volume, mounted read-only in every container',
  withRegistry((registry) => {
    registry.create(SAS, 'default', { metadata: { name: 'default' } });
    const created = registry.create(PODS, 'default', pod('web', { spec: { initContainers: [{ name: 'init', image: 'busybox:1.35' }] } }));
    const spec = created.spec;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    assert.equal(spec.volumes.length, 1);
    const volume = spec.volumes[0];
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume, {
      name: volume.name,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
        defaultMode: 420,
      },
    });
    const mount = { name: volume.name, readOnly: true, mountPath: MOUNT_PATH };
    assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
  }),
);

test('automountServiceAccountToken: the pod decides first, then its service account', () => {
  const sa = (automount?: boolean): KubeObject => ({ metadata: { name: 'default', namespace: 'ns' }, ...(automount === undefined ? {} : { automountServiceAccountToken: automount }) });
  const cases: [string, boolean | undefined, boolean | undefined, boolean][] = [
    ['neither says', undefined, undefined, true],
    ['pod false', false, undefined, false],
    ['service account false', undefined, false, false],
    ['pod true wins over service account false', true, false, true],
    ['pod false wins over service account true', false, true, false],
  ];
  for (const [what, onPod, onSA, mounted] of cases) {
    const p = pod('web', { spec: onPod === undefined ? {} : { automountServiceAccountToken: onPod } });
    admitServiceAccount(p, 'ns', () => sa(onSA));
    assert.equal(!!p.spec.volumes, mounted, what);
    assert.equal(!!p.spec.containers[0].volumeMounts, mounted, what);
  }
});

test('a container that mounts something at the token path keeps it; the volume is added only if some container needs it', () => {
  const sa = (): KubeObject => ({ metadata: { name: 'default', namespace: 'ns' }, imagePullSecrets: [{ name: 'regcred' }] });
  const own = { name: 'mine', mountPath: MOUNT_PATH };
  const p = pod('web', { spec: { volumes: [{ name: 'mine', emptyDir: {} }], containers: [{ name: 'a', image: 'x', volumeMounts: [own] }] } });
  admitServiceAccount(p, 'ns', sa);
  assert.deepEqual(p.spec.volumes, [{ name: 'mine', emptyDir: {} }]);
  assert.deepEqual(p.spec.containers[0].volumeMounts, [own]);
  assert.deepEqual(p.spec.imagePullSecrets, [{ name: 'regcred' }], "the service account's pull secrets");
  const two = pod('web', { spec: { containers: [{ name: 'a', image: 'x', volumeMounts: [own] }, { name: 'b', image: 'x' }], volumes: [{ name: 'mine', emptyDir: {} }] } });
  admitServiceAccount(two, 'ns', sa);
  assert.equal(two.spec.volumes.length, 2);
  assert.equal(two.spec.containers[1].volumeMounts[0].name, two.spec.volumes[1].name);
});

test(
  "a missing service account is Kubernetes' Forbidden",
  withRegistry((registry) => {
    registry.create(SAS, 'default', { metadata: { name: 'default' } });
    assert.throws(
      () => registry.create(PODS, 'default', pod('web', { spec: { serviceAccountName: 'robot' } })),
      (e: ApiError) => e.reason === 'Forbidden' && e.code === 403 && e.message === 'pods "web" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    );
  }),
);

test(
  'a pod created just before its namespace has a default service account waits for it',
  withRegistry(async (registry) => {
    setTimeout(() => registry.create(SAS, 'default', { metadata: { name: 'default' } }), 250);
    const started = Date.now();
    const created = await registry.createWhenAdmissible(PODS, 'default', pod('web'));
    assert.equal(created.spec.serviceAccountName, 'default');
    assert.ok(Date.now() - started >= 200);
  }),
);

test(
  'with no default service account at all, the pod is refused after about a second or two of looking',
  withRegistry(async (registry) => {
    const started = Date.now();
    await assert.rejects(registry.createWhenAdmissible(PODS, 'default', pod('web')), /error looking up service account default\/default: serviceaccount "default" not found/);
    const waited = Date.now() - started;
    assert.ok(waited >= 900 && waited < 2500, `waited ${waited} ms`);
  }),
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { signJwt, verifyJwt, keyId } from '../../src/apiserver/serviceaccount/jwt.js';
import { loadOrCreateSigningKey } from '../../src/apiserver/serviceaccount/signing-key.js';
import { API_AUDIENCES, issueToken, verifyServiceAccountToken, type TokenVerifier } from '../../src/apiserver/serviceaccount/claims.js';
import { requestToken } from '../../src/apiserver/registry/token-request.js';
import { authenticateToken } from '../../src/apiserver/http/authentication.js';
import { TokenCache } from '../../src/apiserver/http/token-cache.js';
import { findByKind } from '../../src/api/resources.js';
import { ApiError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/types.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const SA: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'ns1', uid: 'sa-uid' } };
const POD: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns1', uid: 'pod-uid' }, spec: { serviceAccountName: 'default' } };

function tempKey() {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-sa-'));
  return { dir, key: loadOrCreateSigningKey(join(dir, 'pki', 'sa.key')), done: () => rmSync(dir, { recursive: true, force: true }) };
}

function verifier(publicKey: TokenVerifier['publicKey'], objects: KubeObject[]): TokenVerifier {
  return {
    publicKey,
    audiences: API_AUDIENCES,
    getObject: (kind, ns, name) => objects.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name),
  };
}

test('the signing key is made once (0600, EC P-256) and read back unchanged', () => {
  const { dir, key, done } = tempKey();
  try {
    const file = join(dir, 'pki', 'sa.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const pem = readFileSync(file, 'utf8');
    const again = loadOrCreateSigningKey(file);
    assert.equal(readFileSync(file, 'utf8'), pem);
    assert.equal(keyId(again.publicKey), keyId(key.privateKey));
  } finally {
    done();
  }
});

test('an ES256 JWT verifies with its key only, and not once tampered with', () => {
  const { key, done } = tempKey();
  try {
    const token = signJwt({ sub: 'x', n: 1 }, key.privateKey);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    assert.deepEqual(header, { alg: 'ES256', kid: keyId(key.publicKey) });
    assert.deepEqual(verifyJwt(token, key.publicKey), { sub: 'x', n: 1 });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.equal(verifyJwt(token, other.publicKey), undefined, 'another key');
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', n: 1 })).toString('base64url')}.${s}`;
    assert.equal(verifyJwt(forged, key.publicKey), undefined, 'changed payload');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
    assert.equal(verifyJwt(none, key.publicKey), undefined, 'alg none');
    assert.equal(verifyJwt(`${h}.${token.split('.')[1]}.AAAA`, key.publicKey), undefined, 'short signature');
  } finally {
    done();
  }
});

test("a token carries Kubernetes' claims", () => {
  const { key, done } = tempKey();
  try {
    const { token } = issueToken(SA, { pod: POD, node: { name: 'node-1', uid: 'node-uid' } }, { audiences: API_AUDIENCES, expirationSeconds: 600, now: NOW }, key.privateKey);
    const claims = verifyJwt(token, key.publicKey)!;
    const now = NOW.getTime() / 1000;
    assert.equal(typeof claims.jti, 'string');
    delete claims.jti;
    assert.deepEqual(claims, {
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:ns1:default',
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: now + 600,
      iat: now,
      nbf: now,
      'kubernetes.io': {
        namespace: 'ns1',
        serviceaccount: { name: 'default', uid: 'sa-uid' },
        pod: { name: 'web', uid: 'pod-uid' },
        node: { name: 'node-1', uid: 'node-uid' },
      },
    });
  } finally {
    done();
  }
});

test('a token authenticates as its service account until it expires or what it names goes', () => {
  const { key, done } = tempKey();
  try {
    const { token } = issueToken(SA, { pod: POD }, { audiences: API_AUDIENCES, expirationSeconds: 600, now: NOW }, key.privateKey);
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    const user = { name: 'system:serviceaccount:ns1:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] };
    assert.deepEqual(verifyServiceAccountToken(token, verifier(key.publicKey, [SA, POD]), at(1)), {
      user,
      objects: [
        { kind: 'ServiceAccount', namespace: 'ns1', name: SA.metadata.name },
        { kind: 'Pod', namespace: 'ns1', name: POD.metadata.name },
      ],
      expiresAt: (Math.floor(NOW.getTime() / 1000) + 600 + 60) * 1000,
    });
    // go-jose's minute of leeway past exp.
    assert.ok('user' in verifyServiceAccountToken(token, verifier(key.publicKey, [SA, POD]), at(650)));
    const cases: [string, KubeObject[], Date, string][] = [
      ['expired', [SA, POD], at(661), 'service account token has expired'],
      ['not valid yet', [SA, POD], at(-120), 'service account token is not valid yet'],
      ['service account gone', [POD], at(1), 'service account ns1/default not found'],
      ['service account recreated', [{ ...SA, metadata: { ...SA.metadata, uid: 'new' } }, POD], at(1), 'service account UID (new) does not match claim (sa-uid)'],
      ['pod gone', [SA], at(1), 'pod ns1/web not found'],
      ['pod recreated', [SA, { ...POD, metadata: { ...POD.metadata, uid: 'other' } }], at(1), 'pod UID (other) does not match claim (pod-uid)'],
      ['pod deleted over a minute ago', [SA, { ...POD, metadata: { ...POD.metadata, deletionTimestamp: '2026-01-01T11:58:00Z' } }], at(1), 'pod ns1/web has been deleted'],
    ];
    for (const [what, objects, now, error] of cases) assert.deepEqual(verifyServiceAccountToken(token, verifier(key.publicKey, objects), now), { error }, what);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.ok('error' in verifyServiceAccountToken(token, verifier(other.publicKey, [SA, POD]), at(1)), 'wrong key');
    const foreign = issueToken(SA, {}, { audiences: ['vault'], expirationSeconds: 600, now: NOW }, key.privateKey).token;
    assert.deepEqual(verifyServiceAccountToken(foreign, verifier(key.publicKey, [SA]), at(1)), {
      error: 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
    });
  } finally {
    done();
  }
});

test('authenticateToken accepts service account tokens next to the others', () => {
  const { key, done } = tempKey();
  try {
    const { token } = issueToken(SA, {}, { audiences: API_AUDIENCES, expirationSeconds: 600, now: NOW }, key.privateKey);
    const sources = { staticTokens: new Map([['admintoken', 'admin']]), getSecret: () => undefined, now: NOW };
    assert.equal(authenticateToken(token, sources), undefined, 'without a verifier no JWT is accepted');
    const user = authenticateToken(token, { ...sources, serviceAccountTokens: verifier(key.publicKey, [SA]) })!;
    assert.equal(user.name, 'system:serviceaccount:ns1:default');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
  } finally {
    done();
  }
});

test('a token that authenticated is remembered 10 s, until an object that vouched for it changes', () => {
  const { key, done } = tempKey();
  try {
    const { token } = issueToken(SA, { pod: POD }, { audiences: API_AUDIENCES, expirationSeconds: 600, now: NOW }, key.privateKey);
    const cache = new TokenCache();
    let lookups = 0;
    const objects = [SA, POD];
    const counting: TokenVerifier = { ...verifier(key.publicKey, objects), getObject: (...a) => (lookups++, verifier(key.publicKey, objects).getObject(...a)) };
    const at = (ms: number) => ({ staticTokens: new Map(), getSecret: () => undefined, serviceAccountTokens: counting, cache, now: new Date(NOW.getTime() + ms) });
    assert.equal(authenticateToken(token, at(0))?.name, 'system:serviceaccount:ns1:default');
    assert.equal(lookups, 2, 'the service account and the pod are read once');
    objects.pop();
    assert.equal(authenticateToken(token, at(9_000))?.name, 'system:serviceaccount:ns1:default', 'within 10 s the cached answer holds');
    assert.equal(lookups, 2);
    assert.equal(authenticateToken(token, at(10_001)), undefined, 'after 10 s it is verified again: the pod is gone');
    objects.push(POD);
    assert.ok(authenticateToken(token, at(11_000)));
    cache.objectChanged('/core/pods/ns1/web');
    objects.pop();
    assert.equal(authenticateToken(token, at(11_001)), undefined, 'a change to the bound pod drops the entry at once');
    assert.equal(authenticateToken('not-a-token', at(11_002)), undefined);
    assert.equal(cache.size, 0, 'refusals are not remembered');
  } finally {
    done();
  }
});

function tokenRequestSetup() {
  const reg = inProcessRegistry();
  const { key, done } = tempKey();
  reg.registry.create(findByKind('ServiceAccount')!, 'default', { metadata: { name: 'default' } });
  const pod = reg.registry.create(findByKind('Pod')!, 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } });
  return { ...reg, key, pod, done: () => (done(), reg.done()) };
}

test('serviceaccounts/token: defaults, validation, binding and the extended pod token', () => {
  const { registry, key, pod, done } = tokenRequestSetup();
  try {
    const plain = requestToken(registry, key, 'default', 'default', {}, NOW);
    assert.deepEqual(plain.spec, { audiences: API_AUDIENCES, expirationSeconds: 3600 });
    assert.equal(plain.status.expirationTimestamp, '2026-01-01T13:00:00Z');
    assert.equal(plain.metadata.name, 'default');
    const reject = (body: unknown, reason: string, message: string) =>
      assert.throws(() => requestToken(registry, key, 'default', 'default', body, NOW), (e: ApiError) => e.reason === reason && e.message === message);
    reject({ spec: { expirationSeconds: 300 } }, 'Invalid', 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes');
    reject({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } } }, 'NotFound', 'pods "nope" not found');
    reject({ spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n' } } }, 'BadRequest', 'cannot bind token to object of type /v1, Kind=Node');
    reject(
      { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'stale' } } },
      'Conflict',
      'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
    );
    assert.throws(() => requestToken(registry, key, 'default', 'missing', {}, NOW), /serviceaccounts "missing" not found/);
    const bound = requestToken(registry, key, 'default', 'default', { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: pod.metadata.uid } } }, NOW);
    const claims = verifyJwt(bound.status.token, key.publicKey)! as any;
    const now = NOW.getTime() / 1000;
    assert.equal(claims.exp, now + 365 * 24 * 3600, 'a projected pod token lasts a year');
    assert.equal(claims['kubernetes.io'].warnafter, now + 3607);
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'web', uid: pod.metadata.uid });
    assert.equal(bound.status.expirationTimestamp, '2026-01-01T13:00:07Z', 'the status shows what was asked for');
  } finally {
    done();
  }
});

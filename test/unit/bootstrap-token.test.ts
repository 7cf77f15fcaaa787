import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapTokenSecret,
  generateBootstrapToken,
  hasExpired,
  parseBootstrapToken,
  readBootstrapTokenSecret,
} from '../../src/api/bootstrap-token.js';
import { authenticateToken, type TokenSources } from '../../src/apiserver/http/authentication.js';
import type { KubeObject } from '../../src/api/types.js';

const NOW = new Date('2025-01-01T12:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('only [a-z0-9]{6}.[a-z0-9]{16} is a bootstrap token', () => {
  assert.deepEqual(parseBootstrapToken('abcdef.0123456789abcdef'), { id: 'abcdef', secret: '0123456789abcdef' });
  for (const bad of ['ABCDEF.0123456789abcdef', 'abcde.0123456789abcdef', 'abcdef.0123456789abcde', 'abcdef0123456789abcdef', ' abcdef.0123456789abcdef', 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6']) {
    assert.equal(parseBootstrapToken(bad), undefined, bad);
  }
  for (let i = 0; i < 50; i++) {
    const t = generateBootstrapToken();
    assert.ok(parseBootstrapToken(`${t.id}.${t.secret}`), `${t.id}.${t.secret}`);
  }
});

test("the Secret is kubeadm's: name, namespace, type and base64 data keys", () => {
  const secret = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef' }, { expires: new Date('2025-01-02T12:00:00.789Z'), description: 'for node-1' });
  assert.deepEqual(secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    data: {
      'token-id': b64('abcdef'),
      'token-secret': b64('0123456789abcdef'),
      description: b64('for node-1'),
      expiration: b64('2025-01-02T12:00:00Z'),
      'usage-bootstrap-authentication': b64('true'),
    },
  });
  assert.deepEqual(readBootstrapTokenSecret(secret), {
    id: 'abcdef',
    secret: '0123456789abcdef',
    expiration: '2025-01-02T12:00:00Z',
    description: 'for node-1',
    usages: ['authentication'],
    extraGroups: [],
  });
  const forever = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef' });
  assert.equal(forever.data.expiration, undefined, 'no expiration: the token never expires');
});

test('a Secret that is not a well-formed bootstrap token reads as none', () => {
  const good = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef' });
  const cases: [string, (s: KubeObject) => void][] = [
    ['another type', (s) => (s.type = 'Opaque')],
    ['a name for another id', (s) => (s.metadata.name = 'bootstrap-token-zzzzzz')],
    ['no secret', (s) => delete s.data['token-secret']],
    ['a short secret', (s) => (s.data['token-secret'] = b64('short'))],
  ];
  for (const [what, spoil] of cases) {
    const s = structuredClone(good);
    spoil(s);
    assert.equal(readBootstrapTokenSecret(s), undefined, what);
  }
});

test('expiration: RFC 3339 in the past has expired; absent never does; unparseable counts as expired', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['2025-01-01T12:00:01Z', false],
    ['2025-01-01T11:59:59Z', true],
    ['2025-01-01T13:00:00+02:00', true],
    ['2025-01-01T14:00:00+01:00', false],
    ['tomorrow', true],
    ['2025-01-02', true],
  ];
  for (const [expiration, want] of cases) assert.equal(hasExpired(expiration, NOW), want, String(expiration));
});

function sources(secrets: KubeObject[], now = NOW): TokenSources {
  return {
    staticTokens: new Map([['admintoken', 'admin']]),
    getSecret: (ns, name) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
    now,
  };
}

test('authentication: admin tokens from the token file, bootstrap tokens from their Secret', () => {
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  const valid = bootstrapTokenSecret(token, { expires: new Date('2025-01-02T00:00:00Z') });
  assert.deepEqual(authenticateToken('admintoken', sources([])), { name: 'admin', groups: ['system:masters', 'system:authenticated'] });
  assert.deepEqual(authenticateToken('abcdef.0123456789abcdef', sources([valid])), {
    name: 'system:bootstrap:abcdef',
    groups: ['system:bootstrappers', 'system:authenticated'],
  });
  const withGroups = structuredClone(valid);
  withGroups.data['auth-extra-groups'] = b64('system:bootstrappers:kctl:nodes');
  assert.deepEqual(authenticateToken('abcdef.0123456789abcdef', sources([withGroups]))?.groups, [
    'system:bootstrappers',
    'system:bootstrappers:kctl:nodes',
    'system:authenticated',
  ]);
});

test('authentication refuses wrong, expired, deleted, unusable and unknown tokens', () => {
  const token = { id: 'abcdef', secret: '0123456789abcdef' };
  const valid = bootstrapTokenSecret(token, { expires: new Date('2025-01-02T00:00:00Z') });
  const variant = (change: (s: KubeObject) => void) => {
    const s = structuredClone(valid);
    change(s);
    return s;
  };
  const cases: [string, string, KubeObject[], Date?][] = [
    ['empty', '', [valid]],
    ['unknown admin token', 'admintoken2', [valid]],
    ['no Secret', 'abcdef.0123456789abcdef', []],
    ['wrong secret', 'abcdef.0123456789abcdeg', [valid]],
    ['expired', 'abcdef.0123456789abcdef', [valid], new Date('2025-01-02T00:00:01Z')],
    ['being deleted', 'abcdef.0123456789abcdef', [variant((s) => (s.metadata.deletionTimestamp = '2025-01-01T00:00:00Z'))]],
    ['not for authentication', 'abcdef.0123456789abcdef', [variant((s) => delete s.data['usage-bootstrap-authentication'])]],
    ['authentication usage not "true"', 'abcdef.0123456789abcdef', [variant((s) => (s.data['usage-bootstrap-authentication'] = b64('yes')))]],
    ['a group outside system:bootstrappers:', 'abcdef.0123456789abcdef', [variant((s) => (s.data['auth-extra-groups'] = b64('system:masters')))]],
    ['in another namespace', 'abcdef.0123456789abcdef', [variant((s) => (s.metadata.namespace = 'default'))]],
  ];
  for (const [what, sent, secrets, now] of cases) assert.equal(authenticateToken(sent, sources(secrets, now)), undefined, what);
});

// The credentials a pod's pull secrets give for an image, as the kubelet's keyring picks them, the
// X-Registry-Auth header the engine decodes, and the names `kctl images push` gives images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { registryAuthHeader } from '../../src/nodeagent/docker/docker-client.js';
import { imageRepository, keyMatches, pullCredentials, PullSecretError, registryKey } from '../../src/nodeagent/pods/pull-credentials.js';
import { dockerConfigJson } from '../../src/cli/generators/secret.js';
import { registryName } from '../../src/cli/images/registry-push.js';

function dockerSecret(name: string, server: string, username: string, password: string): Secret {
  return { metadata: { name }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(server, username, password)).toString('base64') } };
}

const noInvalid = (err: PullSecretError) => assert.fail(err.message);

test('image repositories carry their registry host; Docker Hub images get index.docker.io and library/', () => {
  assert.equal(imageRepository('127.0.0.1:5000/team/app:1.0'), '127.0.0.1:5000/team/app');
  assert.equal(imageRepository('busybox:1.35'), 'index.docker.io/library/busybox');
  assert.equal(imageRepository('bitnami/redis'), 'index.docker.io/bitnami/redis');
  assert.equal(imageRepository('docker.io/library/nginx@sha256:abc'), 'index.docker.io/library/nginx');
  assert.equal(imageRepository('localhost/app'), 'localhost/app');
});

test('keys lose their scheme and /v1/ or /v2/, keep a path, and match by port, host glob and path prefix', () => {
  assert.equal(registryKey('https://10.250.0.1:5000/v2/'), '10.250.0.1:5000');
  assert.equal(registryKey('https://index.docker.io/v1/'), 'index.docker.io');
  assert.equal(registryKey('registry.example.com/team'), 'registry.example.com/team');
  assert.ok(keyMatches('127.0.0.1:5000', '127.0.0.1:5000/app'));
  assert.ok(!keyMatches('127.0.0.1:5000', '127.0.0.1:5001/app'), 'another port');
  assert.ok(!keyMatches('127.0.0.1', '127.0.0.1:5000/app'), 'a port the key does not give');
  assert.ok(keyMatches('*.example.com', 'registry.example.com/app'));
  assert.ok(!keyMatches('*.example.com', 'a.registry.example.com/app'), 'a glob is one label');
  assert.ok(keyMatches('registry.example.com/team', 'registry.example.com/team/app'));
  assert.ok(!keyMatches('registry.example.com/team', 'registry.example.com/other/app'));
  assert.ok(keyMatches('docker.io', 'index.docker.io/library/busybox'), 'Docker Hub by any of its names');
});

test('the matching secrets give their credentials, most specific key first; none match: pull anonymously', () => {
  const secrets = [dockerSecret('wide', 'registry.example.com', 'wide', 'w'), dockerSecret('team', 'registry.example.com/team', 'team', 't'), dockerSecret('other', '127.0.0.1:5000', 'o', 'p')];
  const creds = pullCredentials('registry.example.com/team/app:1', secrets, noInvalid);
  assert.deepEqual(creds.map((c) => [c.username, c.password, c.serveraddress]), [['team', 't', 'registry.example.com'], ['wide', 'w', 'registry.example.com']]);
  assert.deepEqual(pullCredentials('busybox:1.35', secrets, noInvalid), []);
});

test('a secret with only `auth` is decoded; a secret of another type is skipped and told', () => {
  const authOnly: Secret = {
    metadata: { name: 'a' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { '127.0.0.1:5000': { auth: Buffer.from('kctl:pa:ss').toString('base64') } } })).toString('base64') },
  };
  const opaque: Secret = { metadata: { name: 'plain' }, type: 'Opaque', data: { x: 'eA==' } };
  const skipped: string[] = [];
  const creds = pullCredentials('127.0.0.1:5000/app:1', [opaque, authOnly], (err) => skipped.push(err.message));
  assert.deepEqual(creds, [{ username: 'kctl', password: 'pa:ss', serveraddress: '127.0.0.1:5000' }]);
  assert.deepEqual(skipped, ['secret "plain" is of type "Opaque", not kubernetes.io/dockerconfigjson']);
});

test('X-Registry-Auth is base64url with its padding, as the engine decodes it', () => {
  const header = registryAuthHeader({ username: 'u', password: '??>>', serveraddress: 'r:5000' });
  assert.match(header, /^[A-Za-z0-9_-]+=*$/);
  assert.equal(header.length % 4, 0);
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), { username: 'u', password: '??>>', serveraddress: 'r:5000' });
});

test('kctl images push names the image after the registry, whatever registry it named before', () => {
  assert.deepEqual(registryName('busybox:1.35', '127.0.0.1:5000'), { repository: '127.0.0.1:5000/busybox', tag: '1.35' });
  assert.deepEqual(registryName('kctl/pause:1.0', '127.0.0.1:5000'), { repository: '127.0.0.1:5000/kctl/pause', tag: '1.0' });
  assert.deepEqual(registryName('other.example:5000/team/app', '10.250.0.1:5000'), { repository: '10.250.0.1:5000/team/app', tag: 'latest' });
});

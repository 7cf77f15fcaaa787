// Service accounts end to end on a real daemon: the default ServiceAccount and kube-root-ca.crt in
// every namespace, tokens from `kctl create token` and `kubectl create token` that authenticate
// (and stop when their bound pod goes), and the kube-api-access volume on new pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';
import { until } from '../helpers/until.js';

describe('service accounts', () => {
  const c = new TestCluster();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  before(async () => {
    await c.up();
  });
  after(async () => {
    await c.down();
  });

  test('a new namespace gets its default ServiceAccount and kube-root-ca.crt', async () => {
    assert.equal((await c.kctl(['create', 'namespace', 'team-a'])).code, 0);
    await until('the default service account', async () => ((await c.api('GET', '/api/v1/namespaces/team-a/serviceaccounts/default')).status === 200 ? true : undefined));
    const cm = await until('kube-root-ca.crt', async () => {
      const r = await c.api('GET', '/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt');
      return r.status === 200 ? r.body : undefined;
    });
    assert.equal(cm.data['ca.crt'], c.ca);
    const get = await c.kctl(['get', 'sa', '-n', 'team-a']);
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^NAME\s+SECRETS\s+AGE\n/);
    assert.match(get.stdout, /^default\s+0\s+\d+s$/m);
    const describe = await c.kctl(['describe', 'serviceaccount', 'default', '-n', 'team-a']);
    assert.equal(describe.code, 0, describe.stderr);
    assert.match(describe.stdout, /^Name:\s+default$/m);
    assert.equal(statSync(join(c.home, 'pki/sa.key')).mode & 0o777, 0o600);
  });

  test('a pod created right after its namespace is admitted, with the kube-api-access volume', async () => {
    assert.equal((await c.api('POST', '/api/v1/namespaces', { metadata: { name: 'quick' } })).status, 201);
    const pod = await c.createPod({ metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] } }, 'quick');
    assert.equal(pod.spec.serviceAccountName, 'default');
    const volume = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    assert.ok(volume, JSON.stringify(pod.spec.volumes));
    assert.deepEqual(
      volume.projected.sources.map((s: any) => Object.keys(s)[0]),
      ['serviceAccountToken', 'configMap', 'downwardAPI'],
    );
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    const missing = await c.api('POST', '/api/v1/namespaces/quick/pods', { metadata: { name: 'robot' }, spec: { serviceAccountName: 'robot', containers: [{ name: 'app', image: 'busybox:1.35' }] } });
    assert.equal(missing.status, 403);
    assert.equal(missing.body.message, 'pods "robot" is forbidden: error looking up service account quick/robot: serviceaccount "robot" not found');
  });

  test('kctl create token gives a token that authenticates as the service account and may only read discovery', async () => {
    const r = await c.kctl(['create', 'token', 'default', '--duration', '10m']);
    assert.equal(r.code, 0, r.stderr);
    const token = r.stdout;
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the bare token, no newline, when not on a terminal');
    assert.equal((await c.api('GET', '/api', undefined, as(token))).status, 200);
    const pods = await c.api('GET', '/api/v1/namespaces/default/pods', undefined, as(token));
    assert.equal(pods.status, 403);
    assert.equal(pods.body.message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
    const review = await c.api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    assert.deepEqual(review.body.status.user, {
      username: 'system:serviceaccount:default:default',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    const tooShort = await c.kctl(['create', 'token', 'default', '--duration', '5m']);
    assert.equal(tooShort.code, 1);
    assert.match(tooShort.stderr, /failed to create token: .*spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
    const foreign = await c.kctl(['create', 'token', 'default', '--audience', 'vault']);
    assert.equal(foreign.code, 0, foreign.stderr);
    assert.equal((await c.api('GET', '/api', undefined, as(foreign.stdout))).status, 401, 'a token for another audience is not for the API server');
    const nope = await c.kctl(['create', 'token', 'nobody']);
    assert.equal(nope.code, 1);
    assert.match(nope.stderr, /error: failed to create token: serviceaccounts "nobody" not found/);
  });

  test('a token bound to a pod stops working once the pod is deleted', async () => {
    await c.createPod({ metadata: { name: 'holder' }, spec: { containers: [{ name: 'app', image: 'busybox:1.35' }] } });
    const r = await c.kctl(['create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await c.api('GET', '/version', undefined, as(r.stdout))).status, 200);
    assert.equal((await c.api('DELETE', '/api/v1/namespaces/default/pods/holder')).status, 200);
    await until('the pod to be gone', async () => ((await c.api('GET', '/api/v1/namespaces/default/pods/holder')).status === 404 ? true : undefined));
    assert.equal((await c.api('GET', '/version', undefined, as(r.stdout))).status, 401);
  });

  test('a deleted default ServiceAccount comes back, with a new UID that old tokens do not match', async () => {
    const token = (await c.kctl(['create', 'token', 'default', '-n', 'team-a'])).stdout;
    const before = (await c.api('GET', '/api/v1/namespaces/team-a/serviceaccounts/default')).body.metadata.uid;
    assert.equal((await c.api('DELETE', '/api/v1/namespaces/team-a/serviceaccounts/default')).status, 200);
    await until('a new default service account', async () => {
      const r = await c.api('GET', '/api/v1/namespaces/team-a/serviceaccounts/default');
      return r.status === 200 && r.body.metadata.uid !== before ? true : undefined;
    });
    assert.equal((await c.api('GET', '/api', undefined, as(token))).status, 401);
  });

  test('the real kubectl create token works', { skip: !kubectlAvailable() && 'kubectl is not installed' }, async () => {
    const r = await c.kubectl(['create', 'token', 'default']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await c.api('GET', '/apis', undefined, as(r.stdout.trim()))).status, 200);
    const sa = await c.kubectl(['get', 'serviceaccounts', '-n', 'team-a']);
    assert.equal(sa.code, 0, sa.stderr);
    assert.match(sa.stdout, /^NAME\s+SECRETS\s+AGE\n/);
  });
});

// The cluster's registry (`cluster up --registry`) with a real node agent: `kctl images push`,
// pods pulling through it with the default ServiceAccount's pull secret or their own, and a wrong
// password showing ErrImagePull with the registry's reason, then ImagePullBackOff.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { freePort } from '../helpers/test-cluster.js';

function pullingPod(name: string, image: string, pullSecrets?: string[]): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 0,
      ...(pullSecrets ? { imagePullSecrets: pullSecrets.map((s) => ({ name: s })) } : {}),
      containers: [{ name: 'c', image, imagePullPolicy: 'Always', command: ['sleep', '3600'] }],
    },
  };
}

const running = (pod: any) => pod.status?.containerStatuses?.[0]?.state?.running !== undefined;
const waitingReason = (pod: any): string | undefined => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;

describe('the cluster registry', () => {
  let registryPort = 0;
  const { c } = useNodeCluster(async () => {
    registryPort = await freePort();
    return ['--nodes', '1', '--ingress-port', '0', '--registry', '--registry-port', String(registryPort)];
  });
  const address = () => `127.0.0.1:${registryPort}`;
  const password = () => readFileSync(join(c.home, 'registry/credentials'), 'utf8').trim().split(':').slice(1).join(':');

  test('runs with TLS from the cluster CA that the engine trusts, and asks for credentials', async () => {
    assert.equal(readFileSync(`/etc/docker/certs.d/${address()}/ca.crt`, 'utf8'), c.ca);
    const res = await fetch(`https://${address()}/v2/`).catch((err: Error) => err);
    assert.ok(res instanceof Error, 'a client that does not trust the cluster CA is refused');
    const r = await c.run('curl', ['-sS', '--cacert', join(c.home, 'pki/ca.crt'), '-o', '/dev/null', '-w', '%{http_code}', `https://${address()}/v2/`]);
    assert.equal(r.stdout, '401');
    const ok = await c.run('curl', ['-sS', '--cacert', join(c.home, 'pki/ca.crt'), '-u', `kctl:${password()}`, '-o', '/dev/null', '-w', '%{http_code}', `https://${address()}/v2/`]);
    assert.equal(ok.stdout, '200');
  });

  test('kctl images push puts a local image there', async () => {
    const r = await c.kctl(['images', 'push', 'busybox:1.35']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${address()}/busybox:1.35 pushed in `));
    const tags = await c.run('curl', ['-sS', '--cacert', join(c.home, 'pki/ca.crt'), '-u', `kctl:${password()}`, `https://${address()}/v2/busybox/tags/list`]);
    assert.deepEqual(JSON.parse(tags.stdout), { name: 'busybox', tags: ['1.35'] });
    const missing = await c.kctl(['images', 'push', 'no-such-image:1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no image "no-such-image:1" on this machine's Docker engine/);
  });

  test("a pod in the default namespace pulls with the default ServiceAccount's secret", async () => {
    const sa = await c.api('GET', '/api/v1/namespaces/default/serviceaccounts/default');
    assert.deepEqual(sa.body.imagePullSecrets, [{ name: 'kctl-registry' }]);
    const created = await c.createPod(pullingPod('from-sa', `${address()}/busybox:1.35`));
    assert.deepEqual(created.spec.imagePullSecrets, [{ name: 'kctl-registry' }], 'copied from the ServiceAccount at admission');
    await c.waitForPod('from-sa', running, 30_000);
    const events = await c.api('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=from-sa');
    assert.ok(events.body.items.some((e: any) => e.reason === 'Pulled' && /^Successfully pulled image /.test(e.message)), JSON.stringify(events.body.items.map((e: any) => e.message)));
  });

  test('kctl create secret docker-registry with the right password lets a pod pull', async () => {
    const r = await c.kctl(['create', 'secret', 'docker-registry', 'good', `--docker-server=${address()}`, '--docker-username=kctl', `--docker-password=${password()}`]);
    assert.equal(r.code, 0, r.stderr);
    await c.createPod(pullingPod('good-secret', `${address()}/busybox:1.35`, ['good']));
    await c.waitForPod('good-secret', running, 30_000);
  });

  test("a wrong password: ErrImagePull with the registry's reason, then ImagePullBackOff", async () => {
    const r = await c.kctl(['create', 'secret', 'docker-registry', 'wrong', `--docker-server=${address()}`, '--docker-username=kctl', '--docker-password=not-it']);
    assert.equal(r.code, 0, r.stderr);
    await c.createPod(pullingPod('wrong-secret', `${address()}/busybox:1.35`, ['wrong']));
    const failed = await c.waitForPod('wrong-secret', (p) => waitingReason(p) === 'ErrImagePull', 30_000);
    const message: string = failed.status.containerStatuses[0].state.waiting.message;
    assert.match(message, /unauthorized: authentication required/, message);
    const backOff = await c.waitForPod('wrong-secret', (p) => waitingReason(p) === 'ImagePullBackOff', 30_000);
    assert.match(backOff.status.containerStatuses[0].state.waiting.message, new RegExp(`Back-off pulling image "${address()}/busybox:1.35"`));
    const events = await c.api('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=wrong-secret');
    assert.ok(events.body.items.some((e: any) => e.reason === 'Failed' && e.message.startsWith(`Failed to pull image "${address()}/busybox:1.35": `)));
    assert.ok(events.body.items.some((e: any) => e.reason === 'BackOff'));
  });

  test('cluster down stops the registry and takes its CA out of certs.d', async () => {
    const state = JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8'));
    assert.equal(state.registry.address, address());
    const r = await c.kctl(['cluster', 'down']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Registry at ${address()} stopped`));
    assert.ok(!existsSync(`/etc/docker/certs.d/${address()}`));
    const after = await c.run('curl', ['-sS', '--cacert', join(c.home, 'pki/ca.crt'), `https://${address()}/v2/`]);
    assert.match(after.stderr, /Connection refused|Failed to connect/);
  });
});

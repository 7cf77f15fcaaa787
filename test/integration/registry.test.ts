// The cluster's registry (`cluster up --registry`) with a real node agent: `kctl images push`,
// pods pulling through it with the default ServiceAccount's pull secret or their own, and a wrong
// password showing ErrImagePull with the registry's reason, then ImagePullBackOff; and every
// simulated machine's engine pulling from it on the LAN, checking its certificate.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient } from '../../src/api/http-client.js';
import { LAN_GATEWAY } from '../../src/cli/cluster/machines/lan.js';
import { useMachineCluster } from '../helpers/machine-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { freePort } from '../helpers/test-cluster.js';
import { pod } from '../helpers/builders.js';

function pullingPod(name: string, image: string, pullSecrets?: string[], nodeName?: string): object {
  return pod(name, {
    node: nodeName,
    spec: { terminationGracePeriodSeconds: 0, ...(pullSecrets ? { imagePullSecrets: pullSecrets.map((s) => ({ name: s })) } : {}) },
    container: { image, imagePullPolicy: 'Always', command: ['sleep', '3600'] },
  });
}

const running = (pod: any) => pod.status?.containerStatuses?.[0]?.state?.running !== undefined;

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
    const status = await c.kctl(['cluster', 'status']);
    assert.match(status.stdout, new RegExp(`^Registry: +${address()} +pid \\d+ +running`, 'm'));
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
    // ErrImagePull shows until the next sync (about a second): every status the pod goes through is watched.
    const waiting: Array<{ reason: string; message: string }> = [];
    const client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    const watch = client.watchPath('/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dwrong-secret', (e) => {
      const w = (e.object as any).status?.containerStatuses?.[0]?.state?.waiting;
      if (w && waiting.at(-1)?.reason !== w.reason) waiting.push({ reason: w.reason, message: w.message });
      if (w?.reason === 'ImagePullBackOff') watch.stop();
    });
    const timer = setTimeout(() => watch.stop(), 30_000);
    try {
      await c.createPod(pullingPod('wrong-secret', `${address()}/busybox:1.35`, ['wrong']));
      await watch.done;
    } finally {
      clearTimeout(timer);
      client.close();
    }
    const reasons = waiting.map((w) => w.reason);
    assert.deepEqual(reasons.slice(-2), ['ErrImagePull', 'ImagePullBackOff'], JSON.stringify(waiting));
    assert.match(waiting.at(-2)!.message, /unauthorized: authentication required/);
    assert.equal(waiting.at(-1)!.message, `Back-off pulling image "${address()}/busybox:1.35"`);
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

describe('the cluster registry on simulated machines', { timeout: 600_000 }, () => {
  // The default port: on the LAN's address it takes no port of 127.0.0.1.
  const c = useMachineCluster(['--registry']);
  // Each machine's own engine pulls over the LAN, verifying the certificate against the cluster CA
  // (a registry not on 127.0.0.0/8 is a secure one for Docker).
  test('every machine pulls a pushed image from the registry at this computer\'s LAN address', async () => {
    const state = JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8'));
    assert.match(state.registry.address, new RegExp(`^${LAN_GATEWAY.replace(/\./g, '\\.')}:\\d+$`));
    const registryPort = Number(state.registry.address.split(':')[1]);
    const pushed = await c.kctl(['images', 'push', 'busybox:1.35']);
    assert.equal(pushed.code, 0, pushed.stderr);
    const image = `${LAN_GATEWAY}:${registryPort}/busybox:1.35`;
    for (const node of ['node-1', 'node-2', 'node-3']) await c.createPod(pullingPod(`on-${node}`, image, undefined, node));
    for (const node of ['node-1', 'node-2', 'node-3']) await c.waitForPod(`on-${node}`, running, 60_000);
  });
});

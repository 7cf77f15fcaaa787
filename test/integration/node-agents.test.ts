// Node agents end to end: `kctl cluster up --nodes 2` with the real daemon, real kctl-node
// processes and the real Docker engine; join tokens and what they may do; leases renewed, and not
// renewed once an agent is killed. `cluster down` in after(), whatever happened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpClient } from '../../src/api/http-client.js';
import { findByKind } from '../../src/api/resources.js';
import type { WatchEvent } from '../../src/api/types.js';
import { REPO, TestCluster, run, type RunResult } from '../helpers/test-cluster.js';

const LEASES = findByKind('Lease')!;

/** Whether a process is still running (a zombie waiting to be reaped has exited). */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('node agents', () => {
  const c = new TestCluster();
  let up: RunResult;
  const agents = () => JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8')).nodes as { name: string; pid: number }[];

  before(async () => {
    up = await c.up(['--nodes', '2']);
  });
  after(async () => {
    await c.down();
  });

  /** Lease events in kube-node-lease for `ms`, or until `enough` says so. */
  async function leaseEvents(ms: number, enough: (events: WatchEvent[]) => boolean = () => false): Promise<WatchEvent[]> {
    const client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    const list = await client.list(LEASES, 'kube-node-lease');
    const events: WatchEvent[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      const watch = client.watch(LEASES, 'kube-node-lease', { resourceVersion: list.metadata.resourceVersion }, (e) => {
        events.push(e);
        if (enough(events)) finish();
      });
      function finish() {
        clearTimeout(timer);
        watch.stop();
        resolve();
      }
    });
    client.close();
    return events;
  }

  const renewed = (events: WatchEvent[], node: string) => events.filter((e) => e.type === 'MODIFIED' && e.object.metadata.name === node);

  test('cluster up starts the agents and returns once both nodes are Ready', async () => {
    assert.match(up.stdout, /Waiting for nodes: 0\/2 Ready\n/);
    assert.match(up.stdout, /Waiting for nodes: 2\/2 Ready\n/);
    assert.match(up.stdout, /Nodes Ready: node-1, node-2 \(in \d+ ms\)\n$/);
    assert.deepEqual(
      agents().map((a) => a.name),
      ['node-1', 'node-2'],
    );
    for (const a of agents()) assert.ok(running(a.pid), `${a.name} runs`);
  });

  test('kctl get nodes lists both Ready, as kubectl prints nodes', async () => {
    const r = await c.kctl(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    assert.match(lines[1], /^node-1\s+Ready\s+<none>\s+\d+s\s+v1\.32\.0-kctl$/);
    assert.match(lines[2], /^node-2\s+Ready\s+<none>\s+\d+s\s+v1\.32\.0-kctl$/);
    assert.equal(lines.length, 3);
  });

  test('a Node is registered as the kubelet registers one', async () => {
    const node = (await c.api('GET', '/api/v1/nodes/node-1')).body;
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], 'node-1');
    assert.equal(node.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels['node.kubernetes.io/instance-type'], 'kctl');
    assert.match(node.metadata.labels['kubernetes.io/arch'], /^(amd64|arm64)$/);
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^docker:\/\/\d+\.\d+/);
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0-kctl');
    assert.deepEqual(Object.keys(node.status.capacity).sort(), ['cpu', 'ephemeral-storage', 'memory', 'pods']);
    assert.match(node.status.capacity.memory, /^\d+Ki$/);
    assert.equal(node.status.capacity.pods, '55', 'two agents share the machine');
    assert.deepEqual(
      node.status.conditions.map((x: any) => `${x.type}=${x.status}/${x.reason}`),
      ['MemoryPressure=False/KubeletHasSufficientMemory', 'DiskPressure=False/KubeletHasNoDiskPressure', 'PIDPressure=False/KubeletHasSufficientPID', 'Ready=True/KubeletReady'],
    );
    assert.deepEqual(node.status.addresses, [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: 'node-1' },
    ]);
  });

  test('cluster status lists the agents with their Ready state', async () => {
    const r = await c.kctl(['cluster', 'status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}node-1 {2}pid \d+ {2}running {2}Ready$/m);
    assert.match(r.stdout, /^ {2}node-2 {2}pid \d+ {2}running {2}Ready$/m);
    assert.match(r.stdout, /^Network: {5}pods 10\.244\.0\.0\/16 on kctl0, services 10\.96\.0\.0\/12, cluster DNS 10\.96\.0\.10 \(kube-dns; answered at 10\.244\.0\.1:53 by node-1\)$/m);
    assert.match(r.stdout, /^ {2}node ports on 127\.0\.0\.1; ingress on 127\.0\.0\.1:80$/m);
  });

  test('join tokens: create and list; a token may only ask for a certificate, not list secrets, nodes or delete a deployment; the admin may', async () => {
    const created = await c.kctl(['token', 'create', '--ttl', '1h', '--description', 'integration test']);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const id = token.split('.')[0];

    const list = await c.kctl(['token', 'list']);
    assert.match(list.stdout.split('\n')[0], /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    assert.match(list.stdout, new RegExp(`^${token.replace('.', '\\.')}\\s+(59m|60m|1h)\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+authentication,signing\\s+integration test\\s+<none>$`, 'm'));
    assert.match(list.stdout, /\s+<forever>\s+<never>\s+authentication,signing\s+kctl cluster up: the join token of the local node agents\s+<none>$/m);

    const secret = (await c.api('GET', `/api/v1/namespaces/kube-system/secrets/bootstrap-token-${id}`)).body;
    assert.equal(secret.type, 'bootstrap.kubernetes.io/token');
    assert.equal(Buffer.from(secret.data['usage-bootstrap-authentication'], 'base64').toString(), 'true');

    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'busybox' }] } } },
    };
    assert.equal((await c.api('POST', '/apis/apps/v1/namespaces/default/deployments', deployment)).status, 201);
    const asNode = { Authorization: `Bearer ${token}` };
    const denied = await c.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/web', undefined, asNode, false);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.reason, 'Forbidden');
    assert.equal(
      denied.body.message,
      `deployments.apps "web" is forbidden: User "system:bootstrap:${id}" cannot delete resource "deployments" in API group "apps" in the namespace "default"`,
    );
    assert.equal((await c.api('GET', '/api/v1/nodes', undefined, asNode, false)).status, 403, 'a join token is no node');
    const secrets = await c.api('GET', '/api/v1/namespaces/kube-system/secrets', undefined, asNode, false);
    assert.equal(secrets.status, 403);
    assert.equal(secrets.body.message, `secrets is forbidden: User "system:bootstrap:${id}" cannot list resource "secrets" in API group "" in the namespace "kube-system"`);
    assert.equal((await c.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/web')).status, 200, 'the admin may delete it');

    const unknown = await c.kctl(['--token', 'abcdef.0123456789abcdef', 'get', 'nodes']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unauthorized/);
  });

  test('kctl-node refuses anything but a join token before contacting the server', async () => {
    const r = await run(process.execPath, [join(REPO, 'bin/kctl-node'), '--name', 'x', '--server', c.server, '--token', c.token()], c.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /must be a join token/);
  });

  test('each node renews its Lease; an agent killed with SIGKILL stops renewing', async () => {
    const lease = (await c.api('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-2')).body;
    assert.equal(lease.spec.holderIdentity, 'node-2');
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'a MicroTime');
    assert.deepEqual(lease.metadata.ownerReferences.map((o: any) => `${o.kind}/${o.name}`), ['Node/node-2']);

    const both = await leaseEvents(15_000, (events) => renewed(events, 'node-1').length > 0 && renewed(events, 'node-2').length > 0);
    assert.ok(renewed(both, 'node-1').length > 0, 'node-1 renewed its lease');
    assert.ok(renewed(both, 'node-2').length > 0, 'node-2 renewed its lease');

    const victim = agents().find((a) => a.name === 'node-2')!;
    process.kill(victim.pid, 'SIGKILL');
    const before = (await c.api('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-2')).body.spec.renewTime;
    // Longer than a renewal interval (10 s), so a live agent would have renewed at least once.
    const after = await leaseEvents(12_000);
    assert.ok(renewed(after, 'node-1').length > 0, 'node-1 still renews');
    assert.equal(renewed(after, 'node-2').length, 0, 'nobody renews node-2');
    const now = (await c.api('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-2')).body.spec.renewTime;
    assert.equal(now, before);
  });

  test('cluster down stops the agents', async () => {
    const pids = agents().map((a) => a.pid);
    const r = await c.kctl(['cluster', 'down']);
    assert.equal(r.code, 0, r.stderr);
    for (const pid of pids) assert.equal(running(pid), false, `agent ${pid} stopped`);
  });
});

// kubeadm's flow on one machine: `kctl init` prints a join line; `kctl join` with it brings a node
// agent up as a detached service that bootstraps its client certificate through a CSR and becomes
// Ready; a wrong token and a wrong CA hash are refused saying which; the join token cannot list
// Secrets; the agent rotates its short-lived certificate; `kctl reset` undoes the join.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { HttpClient } from '../../src/api/http-client.js';
import { findByKind } from '../../src/api/resources.js';
import { ApiError } from '../../src/api/errors.js';
import { isAlive } from '../../src/cli/cluster/processes.js';
import { freePort, REPO, run, TestCluster, type RunResult } from '../helpers/test-cluster.js';

const NODES = findByKind('Node')!;
const SECRETS = findByKind('Secret')!;
const NAME = 'worker-1';

describe('kctl init and kctl join', () => {
  const c = new TestCluster();
  const joinHome = mkdtempSync(join(tmpdir(), 'kctl-join-'));
  const dataDir = join(joinHome, 'node-data');
  let line: string[] = [];

  const kctlOnWorker = (args: string[]): Promise<RunResult> => run(process.execPath, [join(REPO, 'bin/kctl'), ...args], { ...process.env, KCTL_HOME: joinHome, KUBECONFIG: '' });
  const withToken = (token: string) => line.map((a, i) => (line[i - 1] === '--token' ? token : a));

  before(async () => {
    c.port = await freePort();
    // Certificates of 20 s: the agent renews its own at 14-18 s.
    const init = await c.kctl(['init', '--advertise-address', '127.0.0.1', '--apiserver-bind-port', String(c.port), '--cluster-signing-duration', '20s']);
    assert.equal(init.code, 0, init.stderr);
    const printed = /^kctl (join .*)$/m.exec(init.stdout)?.[1];
    assert.ok(printed, init.stdout);
    line = printed.split(' ');
    assert.match(printed, new RegExp(`^join 127\\.0\\.0\\.1:${c.port} --token [a-z0-9]{6}\\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}$`));
  });

  after(async () => {
    await kctlOnWorker(['reset']);
    await c.down();
    rmSync(joinHome, { recursive: true, force: true });
  });

  test('a wrong token and a wrong CA hash are refused, each saying which; nothing is left running', async () => {
    const token = line[line.indexOf('--token') + 1];
    const unknownId = await kctlOnWorker([...withToken(`zzzzzz.${token.split('.')[1]}`), '--data-dir', dataDir]);
    assert.equal(unknownId.code, 1);
    assert.match(unknownId.stderr, /^error: wrong token: there is no JWS signed token in the cluster-info ConfigMap\. This token id "zzzzzz" is invalid/m);
    const wrongSecret = await kctlOnWorker([...withToken(`${token.split('.')[0]}.0000000000000000`), '--data-dir', dataDir]);
    assert.equal(wrongSecret.code, 1);
    assert.match(wrongSecret.stderr, /^error: wrong token: failed to verify the JWS signature/m);
    const hash = line[line.length - 1];
    const wrongHash = line.map((a) => (a === hash ? `sha256:${'0'.repeat(64)}` : a));
    const refused = await kctlOnWorker([...wrongHash, '--data-dir', dataDir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error: wrong CA hash: the cluster CA found in the cluster-info ConfigMap has public key hash sha256:[0-9a-f]{64}, which none of --discovery-token-ca-cert-hash sha256:0{64} pins/m);
    assert.equal(existsSync(join(joinHome, 'joined')), false, 'no agent was started');
  });

  test('the printed line joins a node that becomes Ready with its own certificate; the token cannot list Secrets', async () => {
    const joined = await kctlOnWorker([...line, '--node-name', NAME, '--data-dir', dataDir]);
    assert.equal(joined.code, 0, joined.stderr + joined.stdout);
    assert.match(joined.stdout, new RegExp(`This node has joined the cluster as ${NAME} \\(Ready in \\d+ ms\\)`));
    const record = JSON.parse(readFileSync(join(joinHome, 'joined', `${NAME}.json`), 'utf8'));
    assert.ok(isAlive(record.pid), 'the agent runs on after join returned');
    assert.equal(readFileSync(join(dataDir, 'kctl-node.pid'), 'utf8').trim(), String(record.pid));

    const pem = readFileSync(join(dataDir, 'pki/kubelet-client-current.pem'), 'utf8');
    const cert = new X509Certificate(pem);
    assert.match(cert.subject, /CN=system:node:worker-1/);
    assert.match(cert.subject, /O=system:nodes/);
    assert.ok(cert.verify(new X509Certificate(c.ca).publicKey), 'issued by the cluster CA');

    const nodeClient = new HttpClient({ server: c.server, ca: c.ca, cert: pem, key: pem });
    try {
      const node = await nodeClient.get(NODES, undefined, NAME);
      assert.equal(node.status.conditions.find((x: { type: string }) => x.type === 'Ready').status, 'True');
      // init's --pod-network-cidr (default 10.244.0.0/16) turned on node IPAM, as kubeadm's does.
      assert.match(node.spec.podCIDR, /^10\.244\.\d+\.0\/24$/);
      // Joined on this machine's loopback: the agent's address is the one it reaches the API server from.
      assert.deepEqual(node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP'), { type: 'InternalIP', address: '127.0.0.1' });
    } finally {
      nodeClient.close();
    }
    const csrs = await c.kctl(['get', 'csr', '-o', 'jsonpath={range .items[*]}{.spec.username}{" "}{.status.conditions[0].type}{"\\n"}{end}']);
    assert.match(csrs.stdout, new RegExp(`^system:bootstrap:${line[line.indexOf('--token') + 1].split('.')[0]} Approved$`, 'm'));

    const token = line[line.indexOf('--token') + 1];
    const asToken = new HttpClient({ server: c.server, ca: c.ca, token });
    try {
      await assert.rejects(asToken.list(SECRETS, 'kube-system'), (err: ApiError) => {
        assert.equal(err.code, 403);
        assert.equal(err.message, `secrets is forbidden: User "system:bootstrap:${token.split('.')[0]}" cannot list resource "secrets" in API group "" in the namespace "kube-system"`);
        return true;
      });
    } finally {
      asToken.close();
    }
  });

  test('the agent renews its certificate before it expires, as the node itself, and stays Ready', async () => {
    const file = join(dataDir, 'pki/kubelet-client-current.pem');
    const first = new X509Certificate(readFileSync(file, 'utf8'));
    const deadline = Date.now() + 30_000;
    let current = first;
    while (current.serialNumber === first.serialNumber) {
      assert.ok(Date.now() < deadline, 'the certificate was not rotated within 30 s');
      await new Promise((r) => setTimeout(r, 500));
      current = new X509Certificate(readFileSync(file, 'utf8'));
    }
    assert.ok(Date.parse(current.validTo) > Date.parse(first.validTo));
    assert.ok(Date.now() < Date.parse(first.validTo), 'renewed before the old one expired');
    const csrs = await c.kctl(['get', 'csr', '-o', 'jsonpath={range .items[*]}{.spec.username}{" "}{.status.conditions[0].type}{"\\n"}{end}']);
    assert.match(csrs.stdout, /^system:node:worker-1 Approved$/m, 'the renewal was asked for by the node and auto-approved');
    // Past the first certificate's end the node still reports with the new one.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(first.validTo) - Date.now() + 1500)));
    const node = await c.api('GET', `/api/v1/nodes/${NAME}`);
    assert.equal(node.body.status.conditions.find((x: { type: string }) => x.type === 'Ready').status, 'True');
    const log = readFileSync(join(dataDir, 'kctl-node.log'), 'utf8');
    assert.match(log, /rotated the client certificate/);
    assert.doesNotMatch(log, /Unauthorized/);
  });

  test('kctl reset stops the agent and removes its record, pid file, data and certificate', async () => {
    const record = JSON.parse(readFileSync(join(joinHome, 'joined', `${NAME}.json`), 'utf8'));
    const r = await kctlOnWorker(['reset']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\[reset\] Stopped the node agent of worker-1/);
    assert.equal(isAlive(record.pid), false);
    assert.equal(existsSync(dataDir), false);
    assert.equal(existsSync(joinHome), false);
  });
});

describe('cluster up --allocate-node-cidrs (node IPAM without simulated machines)', () => {
  const c = new TestCluster();
  after(() => c.down());

  test('--cluster-cidr and --node-cidr-mask-size need --allocate-node-cidrs (or --machines); nothing is started', async () => {
    const r = await c.kctl(['cluster', 'up', '--cluster-cidr', '10.123.0.0/16']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'error: --cluster-cidr and --node-cidr-mask-size go with --allocate-node-cidrs (or --machines)');
    assert.equal(existsSync(join(c.home, 'cluster.json')), false);
  });

  test('each Node gets the lowest free range of --cluster-cidr, of --node-cidr-mask-size', async () => {
    await c.up(['--allocate-node-cidrs', '--cluster-cidr', '10.123.0.0/16', '--node-cidr-mask-size', '26']);
    const ranges: string[] = [];
    for (const name of ['ipam-a', 'ipam-b']) {
      const created = await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
      assert.equal(created.status, 201);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const node = (await c.api('GET', `/api/v1/nodes/${name}`)).body;
        if (node.spec?.podCIDR) {
          ranges.push(node.spec.podCIDR);
          break;
        }
        assert.ok(Date.now() < deadline, `${name} got no podCIDR`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.deepEqual(ranges, ['10.123.0.0/26', '10.123.0.64/26']);
  });
});

// RBAC and the node authorizer on a real daemon (control plane only): the real kubectl's
// `auth can-i` and `auth whoami` for the admin, a service account and impersonated users, a
// service account's token refused then allowed once a RoleBinding grants it, escalation refused,
// and a node's client certificate (signed by the cluster CA) that reads only what its pods use
// and cannot change another Node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';
import { generateKeyPair, issueCertificate, privateKeyPem } from '../../src/api/pki/x509.js';
import { until } from '../helpers/until.js';

describe('RBAC', { skip: !kubectlAvailable() && 'kubectl is not installed' }, () => {
  const c = new TestCluster();

  before(async () => {
    await c.up(['--nodes', '0']);
  });
  after(async () => {
    await c.down();
  });

  /** A request authenticated by a client certificate the cluster CA signed for system:node:NAME. */
  async function asNode(name: string) {
    const ca = { certPem: c.ca, keyPem: readFileSync(join(c.home, 'pki/ca.key'), 'utf8') };
    const keys = await generateKeyPair();
    const now = new Date();
    const cert = await issueCertificate(ca, {
      publicKey: keys.publicKey,
      subject: { commonName: `system:node:${name}`, organizations: ['system:nodes'] },
      use: 'client',
      notBefore: now,
      notAfter: new Date(now.getTime() + 3600_000),
    });
    const key = await privateKeyPem(keys.privateKey);
    return (method: string, path: string, body?: unknown) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = https.request(c.server + path, { method, ca: c.ca, cert, key, headers: { 'Content-Type': 'application/merge-patch+json' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
        });
        req.on('error', reject);
        req.end(payload);
      });
  }

  test('kubectl auth can-i and whoami: the admin, a service account, impersonation', async () => {
    const yes = await c.kubectl(['auth', 'can-i', 'delete', 'nodes', '-A']);
    assert.deepEqual([yes.code, yes.stdout], [0, 'yes\n']);
    const no = await c.kubectl(['auth', 'can-i', 'list', 'pods', '--as', 'system:serviceaccount:default:default']);
    assert.deepEqual([no.code, no.stdout], [1, 'no\n']);
    const kctlNo = await c.kctl(['auth', 'can-i', 'list', 'pods', '--as', 'system:serviceaccount:default:default']);
    assert.deepEqual([kctlNo.code, kctlNo.stdout], [1, 'no\n']);
    const whoami = await c.kubectl(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs']);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(whoami.stdout, 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [devs system:authenticated]\n');
    assert.equal((await c.kctl(['auth', 'whoami', '--as', 'jane', '--as-group', 'devs'])).stdout, whoami.stdout);
    const admin = await c.kctl(['auth', 'whoami']);
    assert.match(admin.stdout, /^Groups\s+\[system:masters system:authenticated\]$/m);
    for (const args of [['--as', 'jane'], ['--as', 'system:serviceaccount:default:default']]) {
      const kubectlList = await c.kubectl(['auth', 'can-i', '--list', ...args]);
      const kctlList = await c.kctl(['auth', 'can-i', '--list', ...args]);
      assert.equal(kctlList.stdout, kubectlList.stdout, `can-i --list ${args.join(' ')}`);
      assert.match(kctlList.stdout, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    }
    // Only who may impersonate does.
    const refused = await c.kubectl(['get', 'pods', '--as', 'bob', '--as-group', 'x']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"/);
  });

  test("a pod's service account token is refused listing pods, then allowed by a RoleBinding, in that namespace only", async () => {
    assert.equal((await c.kubectl(['create', 'serviceaccount', 'robot'])).code, 0);
    const token = (await c.kubectl(['create', 'token', 'robot'])).stdout.trim();
    const asRobot = { Authorization: `Bearer ${token}` };
    const refused = await c.api('GET', '/api/v1/namespaces/default/pods', undefined, asRobot, false);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'pods is forbidden: User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" in the namespace "default"');
    const bind = await c.kubectl(['create', 'rolebinding', 'robot-view', '--clusterrole=view', '--serviceaccount=default:robot']);
    assert.equal(bind.code, 0, bind.stderr);
    await until('the binding to take effect', async () => (await c.api('GET', '/api/v1/namespaces/default/pods', undefined, asRobot, false)).status === 200);
    assert.equal((await c.api('GET', '/api/v1/namespaces/kube-system/pods', undefined, asRobot, false)).status, 403);
    assert.equal((await c.api('DELETE', '/api/v1/namespaces/default/pods/x', undefined, asRobot, false)).status, 403);
    const canI = await c.kubectl(['auth', 'can-i', 'list', 'pods', '--as', 'system:serviceaccount:default:robot']);
    assert.deepEqual([canI.code, canI.stdout], [0, 'yes\n']);
    const listed = await c.kubectl(['get', 'rolebinding', 'robot-view', '-o', 'wide']);
    assert.match(listed.stdout, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\nrobot-view\s+ClusterRole\/view\s+\S+\s+default:robot\n$/);
  });

  test('a user may not grant what it does not hold', async () => {
    assert.equal((await c.kubectl(['create', 'rolebinding', 'lead-admin', '--clusterrole=admin', '--user=lead'])).code, 0);
    const ok = await c.kubectl(['create', 'rolebinding', 'intern-edit', '--clusterrole=edit', '--user=intern', '--as', 'lead']);
    assert.equal(ok.code, 0, ok.stderr);
    const escalate = await c.kubectl(['create', 'rolebinding', 'intern-admin', '--clusterrole=cluster-admin', '--user=intern', '--as', 'lead']);
    assert.equal(escalate.code, 1);
    assert.match(escalate.stderr, /rolebindings\.rbac\.authorization\.k8s\.io "intern-admin" is forbidden: user "lead" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
    const role = await c.kubectl(['create', 'role', 'nodes', '--verb=get', '--resource=nodes', '--as', 'lead']);
    assert.equal(role.code, 1);
    assert.match(role.stderr, /roles\.rbac\.authorization\.k8s\.io "nodes" is forbidden: user "lead" .* not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/);
    const changed = await c.kubectl(['patch', 'rolebinding', 'intern-edit', '--type=merge', '-p', '{"roleRef":{"name":"view"}}']);
    assert.equal(changed.code, 1);
    assert.match(changed.stderr, /cannot change roleRef/);
  });

  test("a node's certificate reads only the Secrets its pods use and cannot change another Node", async () => {
    const node = await asNode('n1');
    for (const name of ['n1', 'n2']) {
      assert.equal((await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } })).status, 201);
    }
    for (const name of ['used', 'other']) {
      assert.equal((await c.api('POST', '/api/v1/namespaces/default/secrets', { metadata: { name }, stringData: { k: 'v' } })).status, 201);
    }
    await c.createPod({
      metadata: { name: 'on-n1' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox:1.35', envFrom: [{ secretRef: { name: 'used' } }] }] },
    });
    await until('the node graph', async () => (await node('GET', '/api/v1/namespaces/default/secrets/used')).status === 200);
    const other = await node('GET', '/api/v1/namespaces/default/secrets/other');
    assert.equal(other.status, 403);
    assert.equal(
      other.body.message,
      `secrets "other" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'n1' and this object`,
    );
    assert.equal((await node('GET', '/api/v1/namespaces/default/secrets')).status, 403);
    assert.equal((await node('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { mine: 'yes' } } })).status, 200);
    const foreign = await node('PATCH', '/api/v1/nodes/n2', { metadata: { labels: { mine: 'yes' } } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.message, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    assert.equal((await node('PATCH', '/api/v1/nodes/n2/status', { status: { phase: 'x' } })).status, 403);
    assert.equal((await node('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1')).status, 200);
    // Every pod, for the network policies its machine enforces (kctl:machine-network), but one by one only its own.
    assert.equal((await node('GET', '/api/v1/pods')).status, 200);
    assert.equal((await node('GET', '/api/v1/namespaces/default/pods/elsewhere')).status, 403);
    assert.ok([200, 202].includes((await node('DELETE', '/api/v1/namespaces/default/pods/on-n1')).status), 'a node deletes its own pods');
  });
});

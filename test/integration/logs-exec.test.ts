// Logs and exec on a real node agent: `kctl cluster up --nodes 1`, pods bound to node-1 running
// in Docker, read and entered through the API server's pods/log and pods/exec (which proxy to the
// agent's endpoint), with kctl and the real kubectl. useNodeCluster brings the cluster down after
// the tests, whatever happened.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { kubectlAvailable, REPO } from '../helpers/test-cluster.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { pod, TEST_IMAGE } from '../helpers/builders.js';

function podManifest(name: string, containers: Record<string, string>, labels: Record<string, string> = {}, restartPolicy = 'Always'): object {
  const scripts = Object.entries(containers).map(([c, script]) => ({ name: c, image: TEST_IMAGE, command: ['sh', '-c', script] }));
  return pod(name, { labels, node: 'node-1', spec: { restartPolicy, containers: scripts } });
}

/** GET on the agent's endpoint, with the given bearer token (none when undefined). */
function agentGet(port: number, path: string, token?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
  });
}

describe('logs and exec', () => {
  const { c } = useNodeCluster(['--nodes', '1']);
  const running = (p: any) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running);

  before(async () => {
    await c.createPod(podManifest('talker', { app: 'for i in 1 2 3 4 5; do echo line $i; done; sleep 3600' }, { app: 'talk' }));
    await c.createPod(podManifest('two', { a: 'echo from-a; sleep 3600', b: 'echo from-b; sleep 3600' }, { app: 'talk' }));
    await c.createPod(podManifest('crasher', { app: 'echo run-$RANDOM-$(date +%s); sleep 1; exit 1' }));
    await c.createPod(podManifest('finished', { app: 'echo bye' }, {}, 'Never'));
    await Promise.all(['talker', 'two'].map((p) => c.waitForPod(p, running)));
  });

  test('kctl logs prints the output; --tail and --timestamps as kubectl', async () => {
    const all = await c.kctl(['logs', 'talker']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
    const tail = await c.kctl(['logs', 'pod/talker', '--tail', '2']);
    assert.equal(tail.stdout, 'line 4\nline 5\n');
    const ts = await c.kctl(['logs', 'talker', '--tail=1', '--timestamps']);
    assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line 5\n$/);
    const since = await c.kctl(['logs', 'talker', '--since', '1h']);
    assert.equal(since.stdout, all.stdout);
    assert.equal((await c.kctl(['logs', 'talker', '--limit-bytes', '9'])).stdout, 'line 1\nli');
  });

  test('a finished container still has its logs; exec into its pod is refused as kubectl does', async () => {
    await c.waitForPod('finished', (p) => p.status?.phase === 'Succeeded');
    assert.equal((await c.kctl(['logs', 'finished'])).stdout, 'bye\n');
    const e = await c.kctl(['exec', 'finished', '--', 'true']);
    assert.equal(e.code, 1);
    assert.equal(e.stderr, 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n');
  });

  test('the real kubectl logs prints what kctl logs prints', { skip: !kubectlAvailable() && 'no kubectl on PATH' }, async () => {
    for (const args of [['logs', 'talker'], ['logs', 'talker', '--tail', '3'], ['logs', 'two', '-c', 'b']]) {
      const [k, mine] = await Promise.all([c.kubectl(args), c.kctl(args)]);
      assert.equal(k.code, 0, k.stderr);
      assert.equal(k.stdout, mine.stdout, args.join(' '));
    }
  });

  test('-c picks one of several containers; without it the first, with kubectl notice; the API itself wants one', async () => {
    assert.equal((await c.kctl(['logs', 'two', '-c', 'b'])).stdout, 'from-b\n');
    assert.equal((await c.kctl(['logs', 'two', 'b'])).stdout, 'from-b\n');
    const dflt = await c.kctl(['logs', 'two']);
    assert.equal(dflt.stdout, 'from-a\n');
    assert.equal(dflt.stderr, 'Defaulted container "a" out of: a, b\n');
    const api = await c.api('GET', '/api/v1/namespaces/default/pods/two/log');
    assert.equal(api.status, 400);
    assert.equal(api.body.message, 'a container name must be specified for pod two, choose one of: [a b]');
  });

  test('an unknown container is an error, from kctl, the API and exec', async () => {
    const r = await c.kctl(['logs', 'talker', '-c', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: container nope is not valid for pod talker\n');
    const api = await c.api('GET', '/api/v1/namespaces/default/pods/talker/log?container=nope');
    assert.equal(api.status, 400);
    assert.equal(api.body.message, 'container nope is not valid for pod talker');
    const e = await c.kctl(['exec', 'talker', '-c', 'nope', '--', 'true']);
    assert.equal(e.code, 1);
    assert.equal(e.stderr, 'Error from server (BadRequest): container nope is not valid for pod talker\n');
  });

  test('-p shows the run before a restart; with no restart yet it is the kubelet error', async () => {
    const none = await c.kctl(['logs', 'talker', '-p']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'Error from server (BadRequest): previous terminated container "app" in pod "talker" not found\n');
    await c.waitForPod('crasher', (p) => p.status?.containerStatuses?.[0]?.restartCount >= 1, 30_000);
    const [previous, current] = await Promise.all([c.kctl(['logs', 'crasher', '-p']), c.kctl(['logs', 'crasher'])]);
    assert.equal(previous.code, 0, previous.stderr);
    assert.match(previous.stdout, /^run-\d+-\d+\n$/);
    assert.match(current.stdout, /^run-\d+-\d+\n$/);
    assert.notEqual(previous.stdout, current.stdout);
  });

  test('-f follows: a line written later arrives, through kctl and kubectl', async () => {
    const followers = [spawn(process.execPath, [join(REPO, 'bin/kctl'), 'logs', '-f', 'talker', '--tail', '1'], { env: c.env })];
    if (kubectlAvailable()) followers.push(spawn('kubectl', ['logs', '-f', 'talker', '--tail', '1'], { env: c.env }));
    const outputs = followers.map((child) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return () => out;
    });
    try {
      const deadline = Date.now() + 15_000;
      while (!outputs.every((o) => o().includes('line 5'))) {
        if (Date.now() > deadline) assert.fail(`no first line: ${outputs.map((o) => o()).join('|')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Written to the container's own stdout, so it is part of its log.
      const w = await c.kctl(['exec', 'talker', '--', 'sh', '-c', 'echo written later > /proc/1/fd/1']);
      assert.equal(w.code, 0, w.stderr);
      while (!outputs.every((o) => o().includes('written later'))) {
        if (Date.now() > deadline) assert.fail(`the later line did not arrive: ${outputs.map((o) => JSON.stringify(o())).join('|')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const o of outputs) assert.equal(o(), 'line 5\nwritten later\n');
    } finally {
      for (const child of followers) child.kill();
    }
  });

  test('-l reads every matching pod (tail 10), with --prefix naming pod and container', async () => {
    const r = await c.kctl(['logs', '-l', 'app=talk', '--prefix', '-c', 'a']);
    assert.equal(r.code, 1, 'talker has no container a');
    const all = await c.kctl(['logs', '-l', 'app=talk', '--prefix', '--all-containers']);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split('\n').sort();
    assert.deepEqual(lines.filter((l) => l.startsWith('[pod/two/')), ['[pod/two/a] from-a', '[pod/two/b] from-b']);
    assert.ok(lines.includes('[pod/talker/app] line 5'), all.stdout);
    const none = await c.kctl(['logs', '-l', 'app=nothing']);
    assert.equal(none.stderr, 'No resources found in default namespace.\n');
    const tooMany = await c.kctl(['logs', '-f', '-l', 'app=talk', '--all-containers', '--max-log-requests', '2']);
    assert.equal(tooMany.stderr, 'error: you are attempting to follow 3 log streams, but maximum allowed concurrency is 2, use --max-log-requests to increase the limit\n');
  });

  test('kctl exec: stdout, stderr and the exit code of the command', async () => {
    const r = await c.kctl(['exec', 'talker', '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, 'oops\ncommand terminated with exit code 3\n');
    const ok = await c.kctl(['exec', 'two', '-c', 'b', '--', 'cat', '/proc/1/cmdline']);
    assert.equal(ok.code, 0, ok.stderr);
    const without = await c.kctl(['exec', 'talker', 'ls']);
    assert.match(without.stderr, /Use exec \[POD\] -- \[COMMAND\] instead/);
  });

  test('kctl exec -i passes stdin, and its end, to the command', async () => {
    const r = await c.kctl(['exec', '-i', 'talker', '--', 'sh', '-c', 'cat; echo done'], 'abc\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'abc\ndone\n');
  });

  test('the real kubectl exec works (WebSocket v5)', { skip: !kubectlAvailable() && 'no kubectl on PATH' }, async () => {
    const r = await c.kubectl(['exec', 'talker', '--', 'sh', '-c', 'echo hi; exit 4']);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.code, 4, r.stderr);
    const i = await c.kubectl(['exec', '-i', 'talker', '--', 'cat'], 'piped\n');
    assert.equal(i.stdout, 'piped\n');
  });

  test('the agent endpoint answers only the API server: 401 without or with a bad token, 403 for others', async () => {
    const node = (await c.api('GET', '/api/v1/nodes/node-1')).body;
    const port = node.status.daemonEndpoints.kubeletEndpoint.Port;
    assert.ok(port > 0);
    const path = '/containerLogs/default/talker/app';
    const none = await agentGet(port, path);
    assert.equal(none.status, 401);
    assert.equal(none.body.reason, 'Unauthorized');
    assert.equal((await agentGet(port, path, 'not-a-token')).status, 401);
    const admin = await agentGet(port, path, c.token());
    assert.equal(admin.status, 403);
    assert.equal(admin.body.message, 'Forbidden (user=admin, verb=get, resource=nodes, subresource=proxy)');
  });

  test('TokenReview says who a token is', async () => {
    const review = (token: string) => c.api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    const yes = await review(c.token());
    assert.equal(yes.status, 201, yes.text);
    assert.equal(yes.body.status.authenticated, true);
    assert.equal(yes.body.status.user.username, 'admin');
    const no = await review('nope');
    assert.equal(no.body.status.authenticated, undefined);
    const discovery = await c.api('GET', '/apis/authentication.k8s.io/v1');
    // Beside selfsubjectreviews, as on Kubernetes 1.28 and later.
    assert.deepEqual(discovery.body.resources.map((r: { name: string }) => r.name).sort(), ['selfsubjectreviews', 'tokenreviews']);
  });
});

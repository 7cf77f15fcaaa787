// kctl commands run in process through injected streams (test/helpers/cli-streams.ts): what they
// print on stdout and stderr and their exit code, against a loopback server that answers as the API
// server would, without spawning kctl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runKctl } from '../helpers/cli-streams.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers each request with the answer set for its method and URL, else for its method and path (404 Status otherwise). */
class FakeApiServer {
  readonly seen: Seen[] = [];
  private readonly server: Server;
  answers = new Map<string, { status: number; body: unknown }>();

  constructor() {
    this.server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      this.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const answer = this.answers.get(`${req.method} ${req.url}`) ?? this.answers.get(`${req.method} ${req.url!.split('?')[0]}`) ?? {
        status: 404,
        body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `the server could not find the requested resource` },
      };
      res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function podTable(rows: [string, string, string][]): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '7' },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0, description: '' },
      { name: 'Ready', type: 'string', format: '', priority: 0, description: '' },
      { name: 'Status', type: 'string', format: '', priority: 0, description: '' },
      { name: 'IP', type: 'string', format: '', priority: 1, description: '' },
    ],
    rows: rows.map(([name, ready, status]) => ({ cells: [name, ready, status, '10.0.0.1'], object: { metadata: { name } } })),
  };
}

const api = new FakeApiServer();
const home = mkdtempSync(join(tmpdir(), 'kctl-cli-unit-'));
const saved = { KCTL_HOME: process.env.KCTL_HOME, KUBECONFIG: process.env.KUBECONFIG };

before(async () => {
  // No kubeconfig of the machine's is read: the commands see this empty home only.
  process.env.KCTL_HOME = home;
  delete process.env.KUBECONFIG;
  await api.start();
});

after(async () => {
  await api.stop();
  rmSync(home, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

test('version --client prints the client version only, on stdout', async () => {
  assert.deepEqual(await runKctl(['version', '--client']), { code: 0, out: `Client Version: kctl v${VERSION}\n`, err: '' });
  const json = await runKctl(['version', '--client', '-o', 'json']);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.out), { clientVersion: { gitVersion: `v${VERSION}`, kctl: true } });
});

test('an invalid flag value: one line on stderr, exit code 1, nothing on stdout', async () => {
  assert.deepEqual(await runKctl(['version', '--client', '-o', 'xml']), { code: 1, out: '', err: "error: --output must be 'yaml' or 'json'\n" });
});

test('an unknown command is named on stderr with the help, exit code 1', async () => {
  const r = await runKctl(['nosuch']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /^error: unknown command 'nosuch'\n/);
  assert.match(r.err, /Commands:\n[\s\S]*get \[options\] \[resources\.\.\.\]/);
});

test('config view prints the kubeconfig as YAML with credentials left out, --raw with them', async () => {
  const file = join(home, 'config-view.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: { server: 'https://127.0.0.1:6443', certificate-authority-data: Q0EK }
users:
- name: u1
  user: { token: s3cret }
contexts:
- name: ctx1
  context: { cluster: c1, user: u1, namespace: team }
current-context: ctx1
`,
  );
  const r = await runKctl(['config', 'view', '--kubeconfig', file]);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  const view = parse(r.out);
  assert.equal(view['current-context'], 'ctx1');
  assert.deepEqual(view.clusters, [{ name: 'c1', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'DATA+OMITTED' } }]);
  assert.deepEqual(view.users, [{ name: 'u1', user: { token: 'REDACTED' } }]);
  assert.doesNotMatch(r.out, /s3cret/);
  const raw = parse((await runKctl(['config', 'view', '--kubeconfig', file, '--raw'])).out);
  assert.deepEqual(raw.users, [{ name: 'u1', user: { token: 's3cret' } }]);
  const wrong = await runKctl(['config', 'view', '--kubeconfig', file, '-o', 'wide']);
  assert.equal(wrong.code, 1);
  assert.equal(wrong.out, '');
  assert.match(wrong.err, /^error: unable to match a printer suitable for the output format "wide"/);
});

test('get pods asks for a Table and lays out its columns (-o wide adds the priority-1 ones)', async () => {
  api.answers.set('GET /api/v1/namespaces/default/pods', { status: 200, body: podTable([['web-1', '1/1', 'Running'], ['batch-long-name', '0/1', 'Pending']]) });
  api.seen.length = 0;
  const r = await runKctl(['get', 'pods', '-s', api.url]);
  assert.deepEqual(r, {
    code: 0,
    out: 'NAME              READY   STATUS\nweb-1             1/1     Running\nbatch-long-name   0/1     Pending\n',
    err: '',
  });
  assert.equal(api.seen.length, 1);
  assert.match(String(api.seen[0].headers.accept), /^application\/json;as=Table;v=v1;g=meta\.k8s\.io/);
  const wide = await runKctl(['get', 'pods', '-s', api.url, '-o', 'wide', '--no-headers']);
  assert.equal(wide.out, 'web-1             1/1   Running   10.0.0.1\nbatch-long-name   0/1   Pending   10.0.0.1\n');
});

test('get with nothing found says so on stderr and exits 0, as kubectl', async () => {
  api.answers.set('GET /api/v1/namespaces/team/pods', { status: 200, body: podTable([]) });
  assert.deepEqual(await runKctl(['get', 'pods', '-n', 'team', '-s', api.url]), { code: 0, out: '', err: 'No resources found in team namespace.\n' });
});

test("get of a missing object prints the server's NotFound on stderr, the others on stdout, and exits 1", async () => {
  api.answers.set('GET /api/v1/namespaces/default/pods/web-1', { status: 200, body: podTable([['web-1', '1/1', 'Running']]) });
  api.answers.set('GET /api/v1/namespaces/default/pods/gone', {
    status: 404,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "gone" not found', details: { name: 'gone', kind: 'pods' } },
  });
  const r = await runKctl(['get', 'pods', 'gone', 'web-1', '-s', api.url]);
  assert.deepEqual(r, { code: 1, out: 'NAME    READY   STATUS\nweb-1   1/1     Running\n', err: 'Error from server (NotFound): pods "gone" not found\n' });
  assert.deepEqual(await runKctl(['get', 'pods', 'gone', '--ignore-not-found', '-s', api.url]), { code: 0, out: '', err: '' });
});

test('a server error is reported as kubectl reports it, exit code 1', async () => {
  api.answers.set('GET /api/v1/namespaces/default/services', {
    status: 403,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'services is forbidden: User "bob" cannot list resource "services" in API group "" in the namespace "default"' },
  });
  assert.deepEqual(await runKctl(['get', 'services', '-s', api.url]), {
    code: 1,
    out: '',
    err: 'Error from server (Forbidden): services is forbidden: User "bob" cannot list resource "services" in API group "" in the namespace "default"\n',
  });
});

test('apply -f - reads the manifest from the standard input it is given', async () => {
  api.answers.set('POST /api/v1/namespaces/default/configmaps?fieldManager=kubectl-client-side-apply', {
    status: 201,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', uid: 'u1', resourceVersion: '3' }, data: { a: '1' } },
  });
  api.seen.length = 0;
  const r = await runKctl(['apply', '-f', '-', '-s', api.url], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n');
  assert.deepEqual(r, { code: 0, out: 'configmap/cfg created\n', err: '' });
  const post = api.seen.find((s) => s.method === 'POST');
  assert.ok(post, `requests: ${api.seen.map((s) => `${s.method} ${s.url}`).join(', ')}`);
  const sent = JSON.parse(post.body);
  assert.deepEqual(sent.data, { a: '1' });
  assert.match(sent.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /"name":"cfg"/);
});

test('a manifest that is not YAML is reported with its place on standard input, exit code 1, nothing sent', async () => {
  api.seen.length = 0;
  const r = await runKctl(['create', '-f', '-', '-s', api.url], 'kind: [unclosed\n');
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /^error: -:\d+:\d+: YAML syntax error: /);
  assert.deepEqual(api.seen.filter((s) => s.method !== 'GET'), []);
});

const podNotFound = (name: string) => ({
  status: 404,
  body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `pods "${name}" not found`, details: { name, kind: 'pods' } },
});

test('delete reports each object: the deleted on stdout, the missing on stderr, exit code 1', async () => {
  api.answers.set('DELETE /api/v1/namespaces/default/pods/old', { status: 200, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'old', namespace: 'default', uid: 'u-old' } } });
  api.answers.set('DELETE /api/v1/namespaces/default/pods/missing', podNotFound('missing'));
  const r = await runKctl(['delete', 'pods', 'old', 'missing', '--wait=false', '-s', api.url]);
  assert.deepEqual(r, { code: 1, out: 'pod "old" deleted\n', err: 'Error from server (NotFound): pods "missing" not found\n' });
  assert.deepEqual(await runKctl(['delete', 'pods', 'missing', '--ignore-not-found', '--wait=false', '-s', api.url]), { code: 0, out: '', err: '' });
});

test('label patches the labels it changes and says so per object; a clash without --overwrite goes to stderr', async () => {
  api.answers.set('GET /api/v1/namespaces/default/pods/web', { status: 200, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { tier: 'back' } } } });
  api.answers.set('PATCH /api/v1/namespaces/default/pods/web', { status: 200, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { tier: 'back', app: 'shop' } } } });
  api.seen.length = 0;
  assert.deepEqual(await runKctl(['label', 'pods', 'web', 'app=shop', '-s', api.url]), { code: 0, out: 'pod/web labeled\n', err: '' });
  const patch = api.seen.find((s) => s.method === 'PATCH');
  assert.ok(patch);
  assert.equal(patch.headers['content-type'], 'application/merge-patch+json');
  assert.deepEqual(JSON.parse(patch.body), { metadata: { labels: { app: 'shop' } } });
  api.seen.length = 0;
  const clash = await runKctl(['label', 'pods', 'web', 'tier=front', '-s', api.url]);
  assert.equal(clash.code, 1);
  assert.equal(clash.out, '');
  assert.match(clash.err, /^error: .*'tier' already has a value \(back\), and --overwrite is false\n$/);
  assert.deepEqual(api.seen.filter((s) => s.method === 'PATCH'), []);
});

test("the streams' exit code never leaks into the test process", async () => {
  const before = process.exitCode;
  assert.equal((await runKctl(['nosuch'])).code, 1);
  assert.equal(process.exitCode, before);
});

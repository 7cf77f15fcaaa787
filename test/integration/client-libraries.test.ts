// The API as the standard client libraries use it, against a control plane (no nodes): Debian's
// python3-kubernetes (watch=True, orphanDependents=True, resourceVersionMatch=Exact), the legacy
// /watch/ paths Ruby's kubeclient uses (plain HTTP and ruby-kubeclient), and the parameters'
// errors. scripts/ensure-test-clients.sh installs both libraries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { TestCluster, type RunResult } from '../helpers/test-cluster.js';
import { until } from '../helpers/until.js';

// Debian's interpreters, which see Debian's packages (a python3 or ruby earlier on PATH may not).
const PYTHON = '/usr/bin/python3';
const RUBY = '/usr/bin/ruby';
const PYTHON_CLIENT = spawnSync(PYTHON, ['-c', 'import kubernetes'], { stdio: 'ignore' }).status === 0;
const RUBY_CLIENT = spawnSync(RUBY, ['-e', 'require "kubeclient"'], { stdio: 'ignore' }).status === 0;

const PY_PRELUDE = `
import sys
from kubernetes import client, config, watch
config.load_kube_config()
core = client.CoreV1Api()
apps = client.AppsV1Api()
`;

describe('client libraries', () => {
  const c = new TestCluster();
  const children: ReturnType<typeof spawn>[] = [];

  before(async () => {
    await c.up();
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await c.down();
  });

  function python(program: string): Promise<RunResult> {
    return c.run(PYTHON, ['-c', PY_PRELUDE + program]);
  }

  /** Starts a program whose output lines are handed over as they come. */
  function start(cmd: string, args: string[], onLine: (line: string) => void): Promise<RunResult> {
    const child = spawn(cmd, args, { env: c.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      lines.forEach(onLine);
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((res) => child.on('close', (code) => res({ code: code ?? -1, stdout, stderr })));
  }

  const configMap = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

  test('python: watch.Watch().stream receives ADDED, MODIFIED and DELETED', { skip: !PYTHON_CLIENT && 'python3-kubernetes is not installed' }, async () => {
    await c.create('/api/v1/namespaces/default/configmaps', configMap('py-ready'));
    let ready!: () => void;
    const started = new Promise<void>((res) => (ready = res));
    const watched = start(
      PYTHON,
      [
        '-c',
        `${PY_PRELUDE}
w = watch.Watch()
for e in w.stream(core.list_namespaced_config_map, 'default', timeout_seconds=30):
    print(e['type'], e['object'].metadata.name, e['object'].data, flush=True)
    if e['type'] == 'DELETED' and e['object'].metadata.name == 'py-watched':
        w.stop()
`,
      ],
      (line) => line.startsWith('ADDED py-ready') && ready(),
    );
    await Promise.race([started, watched]);
    await c.create('/api/v1/namespaces/default/configmaps', configMap('py-watched', { v: '1' }));
    const patched = await c.api('PATCH', '/api/v1/namespaces/default/configmaps/py-watched', { data: { v: '2' } }, {
      'Content-Type': 'application/merge-patch+json',
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await c.api('DELETE', '/api/v1/namespaces/default/configmaps/py-watched')).status, 200);
    const out = await watched;
    assert.equal(out.code, 0, out.stderr);
    const events = out.stdout.split('\n').filter((l) => l.includes('py-watched'));
    assert.deepEqual(events, ["ADDED py-watched {'v': '1'}", "MODIFIED py-watched {'v': '2'}", "DELETED py-watched {'v': '2'}"]);
  });

  test('python: deleting a Deployment with orphan_dependents=True leaves its ReplicaSet', { skip: !PYTHON_CLIENT && 'python3-kubernetes is not installed' }, async () => {
    await c.create('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'orphaner' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'orphaner' } },
        template: { metadata: { labels: { app: 'orphaner' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      },
    });
    const replicaSets = async () =>
      (await c.api('GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dorphaner')).body.items as any[];
    await until('the deployment controller makes a ReplicaSet', async () => (await replicaSets()).length === 1);
    const deleted = await python(`apps.delete_namespaced_deployment('orphaner', 'default', orphan_dependents=True)\nprint('deleted')`);
    assert.equal(deleted.code, 0, deleted.stderr);
    await until(
      'the Deployment goes once the garbage collector has orphaned its dependents',
      async () => (await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/orphaner')).status === 404,
    );
    const [rs] = await replicaSets();
    assert.ok(rs, 'the ReplicaSet is still there');
    assert.equal(rs.metadata.ownerReferences, undefined, 'and no longer owned');
  });

  test('python: a list with resourceVersionMatch=Exact shows the state at that version', { skip: !PYTHON_CLIENT && 'python3-kubernetes is not installed' }, async () => {
    const created = await c.create('/api/v1/namespaces/default/configmaps', configMap('exact', { v: 'old' }));
    await c.api('PATCH', '/api/v1/namespaces/default/configmaps/exact', { data: { v: 'new' } }, { 'Content-Type': 'application/merge-patch+json' });
    const rv = created.metadata.resourceVersion;
    const out = await python(`
l = core.list_namespaced_config_map('default', resource_version='${rv}', resource_version_match='Exact', field_selector='metadata.name=exact')
print(l.metadata.resource_version, [i.data['v'] for i in l.items])
n = core.list_namespaced_config_map('default', resource_version='${rv}', resource_version_match='NotOlderThan', field_selector='metadata.name=exact')
print([i.data['v'] for i in n.items])
try:
    core.list_namespaced_config_map('default', resource_version_match='Exact')
except client.exceptions.ApiException as e:
    print(e.status, e.body)
`);
    assert.equal(out.code, 0, out.stderr);
    const [exact, notOlder, error] = out.stdout.trim().split('\n');
    assert.equal(exact, `${rv} ['old']`);
    assert.equal(notOlder, "['new']");
    assert.match(error, /^422 .*ListOptions\.meta\.k8s\.io \\?"\\?" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided/);
  });

  test('python: allow_watch_bookmarks=True brings a BOOKMARK with the current resourceVersion', { skip: !PYTHON_CLIENT && 'python3-kubernetes is not installed' }, async () => {
    const rv = (await c.create('/api/v1/namespaces/default/configmaps', configMap('py-bookmark'))).metadata.resourceVersion;
    const out = await python(`
for e in watch.Watch().stream(core.list_namespaced_config_map, 'default', resource_version='${rv}', allow_watch_bookmarks=True, timeout_seconds=1):
    print(e['type'], e['raw_object']['kind'], e['raw_object']['metadata']['resourceVersion'])
`);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.match(lines.at(-1)!, /^BOOKMARK ConfigMap \d+$/);
    assert.ok(Number(lines.at(-1)!.split(' ')[2]) >= Number(rv));
  });

  test('the legacy /watch/ paths stream the same events as ?watch=true', async () => {
    await c.create('/api/v1/namespaces/default/configmaps', configMap('legacy-a'));
    const collection = await c.watch('/api/v1/watch/namespaces/default/configmaps?labelSelector=', 50, 1500);
    assert.ok(collection.some((e) => e.type === 'ADDED' && (e.object as any).metadata.name === 'legacy-a'), JSON.stringify(collection));
    const one = await c.watch('/api/v1/watch/namespaces/default/configmaps/legacy-a', 50, 1500);
    assert.deepEqual(
      one.map((e) => `${e.type} ${(e.object as any).metadata.name}`),
      ['ADDED legacy-a'],
    );
    const grouped = await c.watch('/apis/apps/v1/watch/deployments', 50, 1500);
    assert.ok(Array.isArray(grouped));
    const post = await c.api('POST', '/api/v1/watch/namespaces/default/configmaps', configMap('x'));
    assert.equal(post.status, 405);
  });

  test('ruby kubeclient watches through the legacy path', { skip: !RUBY_CLIENT && 'ruby-kubeclient is not installed' }, async () => {
    await c.create('/api/v1/namespaces/default/configmaps', configMap('rb-ready'));
    let ready!: () => void;
    const started = new Promise<void>((res) => (ready = res));
    const watched = start(
      RUBY,
      [
        '-e',
        `
require 'kubeclient'
config = Kubeclient::Config.read(ENV['KUBECONFIG'])
ctx = config.context
client = Kubeclient::Client.new(ctx.api_endpoint + '/api', 'v1', ssl_options: ctx.ssl_options, auth_options: ctx.auth_options)
watcher = client.watch_config_maps(namespace: 'default')
watcher.each do |notice|
  puts "#{notice.type} #{notice.object.metadata.name}"
  STDOUT.flush
  break if notice.type == 'DELETED' && notice.object.metadata.name == 'rb-watched'
end
watcher.finish
`,
      ],
      (line) => line === 'ADDED rb-ready' && ready(),
    );
    await Promise.race([started, watched]);
    await c.create('/api/v1/namespaces/default/configmaps', configMap('rb-watched'));
    await c.api('DELETE', '/api/v1/namespaces/default/configmaps/rb-watched');
    const out = await watched;
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(
      out.stdout.split('\n').filter((l) => l.includes('rb-watched')),
      ['ADDED rb-watched', 'DELETED rb-watched'],
    );
  });

  test('watch-list: initial ADDED events, then the bookmark that ends them', async () => {
    await c.create('/api/v1/namespaces/default/configmaps', configMap('wl-a'));
    const events = await c.watch(
      '/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dwl-a',
      2,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'BOOKMARK'],
    );
    const bookmark = events[1].object as any;
    assert.equal(bookmark.kind, 'ConfigMap');
    assert.deepEqual(Object.keys(bookmark.metadata).sort(), ['annotations', 'resourceVersion']);
    assert.deepEqual(bookmark.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    const bad = await c.api('GET', '/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true');
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /sendInitialEvents requires setting resourceVersionMatch to NotOlderThan/);
  });

  test('a watch with timeoutSeconds ends on time, with a last bookmark', async () => {
    const startedAt = Date.now();
    const events = await c.watch('/api/v1/namespaces/default/secrets?watch=True&timeoutSeconds=1&allowWatchBookmarks=True&resourceVersion=1', 100, 10_000);
    assert.ok(Date.now() - startedAt < 5000, 'the server closed the watch');
    const last = events.at(-1)!;
    assert.equal(last.type, 'BOOKMARK');
    assert.ok(Number((last.object as any).metadata.resourceVersion) > 1);
  });

  test('limit and continue errors', async () => {
    const bad = await c.api('GET', '/api/v1/namespaces/default/configmaps?limit=lots');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'strconv.ParseInt: parsing "lots": invalid syntax');
    const page = await c.api('GET', '/api/v1/namespaces/default/configmaps?limit=1');
    assert.ok(page.body.metadata.continue);
    const both = await c.api('GET', `/api/v1/namespaces/default/configmaps?limit=1&resourceVersion=3&continue=${page.body.metadata.continue}`);
    assert.equal(both.status, 400);
    assert.equal(both.body.message, 'specifying resource version is not allowed when using continue');
    const garbage = await c.api('GET', '/api/v1/namespaces/default/configmaps?continue=garbage');
    assert.equal(garbage.status, 400);
    assert.match(garbage.body.message, /^invalid continue token/);
  });
});

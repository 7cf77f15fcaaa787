// kctl config's kubeconfig handling and view, cluster-info's text and colour, events' rows: the
// expected text is what kubectl 1.32 prints for the same input.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from 'kubernetes-types/core/v1.js';
import type { HttpClient } from '../../src/api/http-client.js';
import { colorEnabled, painter } from '../../src/cli/color.js';
import { clusterInfoText, serviceLink } from '../../src/cli/commands/cluster-info.js';
import { forSelector } from '../../src/cli/commands/events.js';
import { CliError } from '../../src/cli/errors.js';
import { ConfigFiles } from '../../src/cli/kubeconfig/config-files.js';
import { contextRows, viewConfig } from '../../src/cli/kubeconfig/config-view.js';
import { eventRow, eventsHeader, parseEventTypes, sortEvents } from '../../src/cli/printers/events-table.js';
import { alignColumns } from '../../src/cli/printers/text-table.js';
import { toYaml } from '../../src/api/printers/yaml-json.js';

const dir = mkdtempSync(join(tmpdir(), 'kctl-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const KCTL_JSON = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'kctl', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } }],
  users: [{ name: 'kctl-admin', user: { token: 'secret' } }],
  contexts: [{ name: 'kctl', context: { cluster: 'kctl', user: 'kctl-admin', namespace: 'default' } }],
  'current-context': 'kctl',
  preferences: {},
};

async function filesOf(...docs: [string, string][]): Promise<ConfigFiles> {
  const paths = docs.map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = paths.join(':');
  try {
    return await ConfigFiles.load({});
  } finally {
    process.env.KUBECONFIG = saved;
  }
}

test('config view: redacted data and tokens, entries sorted by name, the struct field order', async () => {
  const files = await filesOf(['a.json', JSON.stringify(KCTL_JSON)], ['b.yaml', 'clusters:\n- name: c\n  cluster:\n    server: http://x\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n']);
  const merged = { clusters: files.entries('clusters'), users: files.entries('users'), contexts: files.entries('contexts'), currentContext: files.currentContext() };
  assert.equal(
    toYaml(viewConfig(merged, { minify: false, raw: false, flatten: false })),
    'apiVersion: v1\nclusters:\n- cluster:\n    server: http://x\n  name: c\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    server: https://127.0.0.1:6443\n  name: kctl\n' +
      'contexts:\n- context:\n    cluster: c\n    user: u\n  name: c\n- context:\n    cluster: kctl\n    namespace: default\n    user: kctl-admin\n  name: kctl\n' +
      'current-context: kctl\nkind: Config\npreferences: {}\nusers:\n- name: kctl-admin\n  user:\n    token: REDACTED\n',
  );
  const raw = viewConfig(merged, { minify: true, raw: true, flatten: false });
  assert.deepEqual(Object.keys(raw), ['kind', 'apiVersion', 'preferences', 'clusters', 'users', 'contexts', 'current-context']);
  assert.deepEqual(raw.users, [{ name: 'kctl-admin', user: { token: 'secret' } }]);
  assert.deepEqual((raw.clusters as any[]).map((c) => c.name), ['kctl']);
  assert.throws(() => viewConfig(merged, { minify: true, raw: false, flatten: false, context: 'c' }), (e: unknown) => e instanceof CliError && e.message === 'cannot locate user u');
  assert.throws(() => viewConfig({ ...merged, currentContext: '' }, { minify: true, raw: false, flatten: false }), /current-context must exist in order to minify/);
  assert.equal(alignColumns([['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...contextRows(merged.contexts, 'kctl')]),
    'CURRENT   NAME   CLUSTER   AUTHINFO     NAMESPACE\n          c      c         u            \n*         kctl   kctl      kctl-admin   default\n');
});

test('config changes go to the file holding the entry, new entries to the first file, and keep its format', async () => {
  const files = await filesOf(['a.json', JSON.stringify(KCTL_JSON)], ['b.yaml', 'contexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n']);
  assert.equal(files.upsert('contexts', 'c', (ctx) => (ctx.namespace = 'x')), true);
  assert.equal(files.upsert('contexts', 'new', (ctx) => Object.assign(ctx, { cluster: 'kctl', user: '' })), false);
  files.setCurrentContext('new');
  assert.equal(files.remove('users', 'nope'), undefined);
  await files.save();
  const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
  assert.equal(a['current-context'], 'new');
  assert.deepEqual(a.contexts.map((c: any) => c.name), ['kctl', 'new']);
  assert.equal(readFileSync(join(dir, 'b.yaml'), 'utf8'), 'apiVersion: v1\ncontexts:\n- context:\n    cluster: c\n    namespace: x\n    user: u\n  name: c\nkind: Config\npreferences: {}\n');
});

test('cluster-info: the control plane and each cluster service, green and yellow only when asked', () => {
  const dns = { metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'kubernetes.io/name': 'CoreDNS' } }, spec: { ports: [{ name: 'dns', port: 53 }] } };
  assert.equal(serviceLink('https://h:6443', dns), 'https://h:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy');
  assert.equal(serviceLink('https://h:6443', { metadata: { name: 'm', namespace: 'kube-system' }, spec: { ports: [{ port: 443 }] } }), 'https://h:6443/api/v1/namespaces/kube-system/services/https:m:/proxy');
  assert.equal(
    clusterInfoText('https://h:6443', [dns], false),
    'Kubernetes control plane is running at https://h:6443\nCoreDNS is running at https://h:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\n' +
      "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
  );
  assert.match(clusterInfoText('https://h', [], true), /^\x1b\[0;32mKubernetes control plane\x1b\[0m is running at \x1b\[0;33mhttps:\/\/h\x1b\[0m\n/);
  assert.equal(colorEnabled({ isTTY: true }, {}), true);
  assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled({ isTTY: false }, {}), false);
  assert.equal(painter(false)('red', 'x'), 'x');
});

test('events: oldest first by last sighting, the repeat count, NAMESPACE with -A, --types and --for', async () => {
  const now = new Date('2026-01-01T00:10:00Z');
  const events = [
    { metadata: { namespace: 'a' }, type: 'Normal', reason: 'Pulled', involvedObject: { kind: 'Pod', name: 'p' }, message: 'done \n', count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:09:00Z' },
    { metadata: { namespace: 'b' }, type: 'Warning', reason: 'Failed', involvedObject: { kind: 'Pod', name: 'q' }, message: 'x', eventTime: '2026-01-01T00:05:00.000000Z' },
  ] as Event[];
  const sorted = sortEvents(events);
  assert.deepEqual(sorted.map((e) => e.reason), ['Failed', 'Pulled']);
  assert.equal(
    alignColumns([eventsHeader(true), ...sorted.map((e) => eventRow(e, true, now))]),
    'NAMESPACE   LAST SEEN           TYPE      REASON   OBJECT   MESSAGE\nb           5m                  Warning   Failed   Pod/q    x\na           60s (x3 over 10m)   Normal    Pulled   Pod/p    done\n',
  );
  assert.deepEqual(parseEventTypes(['warning', ' Normal']), ['Warning', 'Normal']);
  assert.throws(() => parseEventTypes(['bad']), /valid --types are Normal or Warning/);
  // Built-in types need no server: a client that would fail if asked.
  const offline = { request: () => Promise.reject(new Error('no server')) } as unknown as HttpClient;
  assert.equal(await forSelector(offline, 'deploy/web'), 'involvedObject.kind=Deployment,involvedObject.name=web');
  await assert.rejects(forSelector(offline, 'web'), /--for must be in resource\/name form/);
});

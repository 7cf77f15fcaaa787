// The CLI learning custom resources from a server's discovery documents, and the patches it sends
// for them: lookups by name, short name, category and kind find them after one discovery; a kind
// whose definition is not served yet is waited for; custom kinds get JSON merge patches.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpClient } from '../../src/api/http-client.js';
import { findByApiVersionKind, stopServingCustomResources } from '../../src/api/resources.js';
import { resolveCategory, resolveKind, resolveType } from '../../src/cli/discovery.js';
import { parseResourceArgs } from '../../src/cli/resource-args.js';
import { clientPatchFor } from '../../src/api/patch/client-patch.js';
import { createThreeWayMergePatch } from '../../src/api/patch/three-way-merge.js';

const GROUPS = {
  groups: [
    { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { version: 'v1' } },
    { name: 'example.com', versions: [{ groupVersion: 'example.com/v2', version: 'v2' }, { groupVersion: 'example.com/v1', version: 'v1' }], preferredVersion: { version: 'v2' } },
  ],
};
const resources = (version: string) => ({
  groupVersion: `example.com/${version}`,
  resources: [
    { name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', shortNames: ['wg'], categories: ['gadgets'], verbs: ['get', 'list'] },
    { name: 'widgets/status', singularName: '', namespaced: true, kind: 'Widget', verbs: ['get'] },
    { name: 'widgets/scale', singularName: '', namespaced: true, kind: 'Scale', verbs: ['get'] },
  ],
});

/** A server's discovery documents, counting the requests made. */
function fakeServer(docs: Record<string, unknown>, definitions: unknown[] = []): { client: HttpClient; requests: string[] } {
  const requests: string[] = [];
  const client = {
    async request(_method: string, path: string) {
      requests.push(path);
      if (!(path in docs)) throw new Error(`unexpected request for ${path}`);
      return docs[path];
    },
    async list() {
      requests.push('list crds');
      return { items: definitions };
    },
  } as unknown as HttpClient;
  return { client, requests };
}

afterEach(() => stopServingCustomResources('widgets.example.com'));

test('built-in types resolve without asking the server', async () => {
  const { client, requests } = fakeServer({});
  const [sel] = await parseResourceArgs(client, ['deploy', 'web']);
  assert.equal(sel.r.kind, 'Deployment');
  assert.deepEqual(requests, []);
});

test('a custom type is learnt once, by plural, short name, kind and qualified name, with its subresources and preferred version', async () => {
  const { client, requests } = fakeServer({ '/apis': GROUPS, '/apis/example.com/v2': resources('v2'), '/apis/example.com/v1': resources('v1') });
  for (const name of ['widgets', 'wg', 'Widget', 'widgets.example.com']) {
    const r = await resolveType(client, name);
    assert.equal(r?.kind, 'Widget', name);
    assert.equal(r?.version, 'v2', name);
    assert.deepEqual(r?.subresources, ['status', 'scale']);
    assert.equal(r?.statusSubresource, true);
  }
  assert.deepEqual(requests, ['/apis', '/apis/example.com/v2', '/apis/example.com/v1']);
  assert.equal(findByApiVersionKind('example.com/v1', 'Widget')?.version, 'v1');
});

test('a category expands to its kinds; an unknown type is the server lacking it', async () => {
  const { client } = fakeServer({ '/apis': GROUPS, '/apis/example.com/v2': resources('v2'), '/apis/example.com/v1': resources('v1') });
  assert.deepEqual((await resolveCategory(client, 'gadgets')).map((r) => `${r.kind}/${r.version}`), ['Widget/v2']);
  const selections = await parseResourceArgs(client, ['gadgets']);
  assert.deepEqual(selections.map((s) => s.r.kind), ['Widget']);
  await assert.rejects(parseResourceArgs(client, ['gizmos']), /the server doesn't have a resource type "gizmos"/);
});

test('a kind whose definition exists but is not served yet is waited for, by watching the definition; one without a definition is not', async () => {
  let established = false;
  const docs: Record<string, unknown> = { '/apis/example.com/v2': resources('v2'), '/apis/example.com/v1': resources('v1') };
  Object.defineProperty(docs, '/apis', { enumerable: true, get: () => (established ? GROUPS : { groups: [GROUPS.groups[0]] }) });
  const definition = { metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true }] } };
  const { client, requests } = fakeServer(docs, [definition]);
  const watched: string[] = [];
  (client as unknown as { watch: unknown }).watch = (_r: unknown, _ns: unknown, opts: { fieldSelector: string }, onEvent: (e: unknown) => void) => {
    watched.push(opts.fieldSelector);
    onEvent({ type: 'ADDED', object: definition });
    const timer = setTimeout(() => {
      established = true;
      onEvent({ type: 'MODIFIED', object: { ...definition, status: { conditions: [{ type: 'Established', status: 'True' }] } } });
    }, 250);
    return { stop: () => clearTimeout(timer), done: new Promise(() => {}) };
  };
  const started = Date.now();
  assert.equal((await resolveKind(client, 'example.com/v1', 'Widget'))?.kind, 'Widget');
  assert.ok(Date.now() - started >= 200);
  assert.deepEqual(watched, ['metadata.name=widgets.example.com']);
  // Discovery asked once before the wait and once after it: no polling between.
  assert.equal(requests.filter((p) => p === '/apis').length, 2);
  const none = fakeServer({ '/apis': { groups: [] } }, [definition]);
  assert.equal(await resolveKind(none.client, 'example.com/v1', 'Gizmo'), undefined);
});

test('custom kinds get JSON merge patches: lists replaced whole, no strategic directives', async () => {
  const { client } = fakeServer({ '/apis': GROUPS, '/apis/example.com/v2': resources('v2'), '/apis/example.com/v1': resources('v1') });
  const widget = (await resolveType(client, 'wg'))!;
  assert.deepEqual(clientPatchFor(widget), { type: 'merge', kind: undefined });
  assert.deepEqual(clientPatchFor((await resolveType(client, 'deploy'))!), { type: 'strategic', kind: 'Deployment' });
  const last = { metadata: { name: 'w', finalizers: ['a', 'b'] }, spec: { ports: [{ port: 1 }, { port: 2 }] } };
  const modified = { metadata: { name: 'w', finalizers: ['a'] }, spec: { ports: [{ port: 1 }] } };
  const patch = createThreeWayMergePatch(last, modified, last, undefined);
  assert.deepEqual(patch, { metadata: { finalizers: ['a'] }, spec: { ports: [{ port: 1 }] } });
  // The same change to a built-in kind is strategic: the finalizer is deleted by directive.
  assert.ok(JSON.stringify(createThreeWayMergePatch(last, modified, last, 'ConfigMap')).includes('$deleteFromPrimitiveList'));
});

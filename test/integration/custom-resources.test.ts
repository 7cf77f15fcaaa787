// CustomResourceDefinitions against a control plane (no nodes), with the real kubectl: a
// definition with a schema, printer columns, a short name and a category is established and
// served; `kubectl get SHORTNAME` prints its columns; an invalid object is refused with Kubernetes'
// 422 message; a small operator written here against the API reconciles the kind (a ConfigMap per
// object, status through /status); kubectl scale works through the scale subresource; deleting
// the definition deletes its objects and stops serving them; Python's CustomObjectsApi works too;
// kctl finds custom kinds through discovery (one file may hold a definition and its objects); the
// OpenAPI documents carry custom kinds' schemas (kubectl explain, kubectl's field validation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';
import { HttpClient } from '../../src/api/http-client.js';
import { findByKind, type ResourceType } from '../../src/api/resources.js';
import type { KubeObject, WatchEvent } from '../../src/api/types.js';
import type { WatchHandle } from '../../src/api/client.js';
import { until } from '../helpers/until.js';

const PYTHON = '/usr/bin/python3';
const PYTHON_CLIENT = spawnSync(PYTHON, ['-c', 'import kubernetes'], { stdio: 'ignore' }).status === 0;

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wg]
    categories: [gadgets]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: ConfigMap, type: string, jsonPath: .status.configMap}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [color]
            properties:
              color: {type: string, enum: [red, green, blue]}
              replicas: {type: integer, minimum: 0, default: 1}
          status:
            type: object
            properties:
              configMap: {type: string}
              observedGeneration: {type: integer}
              replicas: {type: integer}
`;

function widget(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });
}

// What an operator's dynamic client knows of the kind: its group, version and plural.
const WIDGETS: ResourceType = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  shortNames: [],
  namespaced: true,
  subresources: ['status', 'scale'],
  categories: [],
  statusSubresource: true,
};
const CONFIG_MAPS = findByKind('ConfigMap')!;

/**
 * The operator: watches Widgets; for each one, a ConfigMap `widget-NAME` holding its color (owned
 * by the widget), then the widget's status says which ConfigMap and which generation it saw.
 */
function startOperator(client: HttpClient): WatchHandle {
  const reconcile = async (w: KubeObject) => {
    const name = `widget-${w.metadata.name}`;
    const desired = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: w.metadata.namespace, ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: w.metadata.name!, uid: w.metadata.uid!, controller: true }] },
      data: { color: String(w.spec.color) },
    };
    const existing = await client.get(CONFIG_MAPS, w.metadata.namespace, name).catch(() => undefined);
    if (!existing) await client.create(CONFIG_MAPS, w.metadata.namespace, desired);
    else if (existing.data?.color !== desired.data.color) await client.update(CONFIG_MAPS, w.metadata.namespace, { ...existing, data: desired.data });
    if (w.status?.configMap === name && w.status?.observedGeneration === w.metadata.generation) return;
    await client.update(WIDGETS, w.metadata.namespace, { ...w, status: { ...w.status, configMap: name, observedGeneration: w.metadata.generation } }, { subresource: 'status' });
  };
  return client.watch(WIDGETS, undefined, {}, (e: WatchEvent) => {
    if (e.type === 'ADDED' || e.type === 'MODIFIED') reconcile(e.object as KubeObject).catch(() => {});
  });
}

describe('custom resources', { skip: !kubectlAvailable() && 'no kubectl' }, () => {
  const c = new TestCluster();
  let client: HttpClient;

  before(async () => {
    await c.up();
    client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    const applied = await c.kubectl(['apply', '-f', '-'], CRD);
    assert.equal(applied.code, 0, applied.stderr);
    const established = await c.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
    assert.equal(established.code, 0, established.stderr);
  });
  after(async () => {
    client?.close();
    await c.down();
  });

  test('discovery lists the kind with its short name and category', async () => {
    const r = await c.kubectl(['api-resources', '--api-group=example.com', '--no-headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^widgets\s+wg\s+example\.com\/v1\s+true\s+Widget\s*$/m);
    const list = await c.api('GET', '/apis/example.com/v1');
    const widgets = list.body.resources.find((x: any) => x.name === 'widgets');
    assert.deepEqual(widgets.categories, ['gadgets']);
    assert.deepEqual(list.body.resources.map((x: any) => x.name).sort(), ['widgets', 'widgets/scale', 'widgets/status']);
  });

  test('kubectl get SHORTNAME prints the printer columns; the category finds the kind', async () => {
    // kubectl refuses the unknown field itself (the OpenAPI document has the schema); past its
    // validation, the server prunes it.
    const created = await c.kubectl(['apply', '--validate=false', '-f', '-'], widget('w1', { color: 'red', unknown: 'pruned' }));
    assert.equal(created.code, 0, created.stderr);
    const r = await c.kubectl(['get', 'wg']);
    assert.equal(r.code, 0, r.stderr);
    const [header, row] = r.stdout.trim().split('\n');
    assert.deepEqual(header.split(/\s+/), ['NAME', 'COLOR', 'REPLICAS', 'CONFIGMAP']);
    assert.match(row, /^w1\s+red\s+1\s*$/);
    const stored = await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w1');
    assert.deepEqual(stored.body.spec, { color: 'red', replicas: 1 }, 'pruned and defaulted');
    const byCategory = await c.kubectl(['get', 'gadgets', '-o', 'name']);
    assert.equal(byCategory.code, 0, byCategory.stderr);
    assert.equal(byCategory.stdout.trim(), 'widget.example.com/w1');
  });

  test('an invalid object is refused with 422 and Kubernetes message', async () => {
    // kubectl checks the type against the OpenAPI document first; the server checks it again.
    const checked = await c.kubectl(['create', '-f', '-'], widget('bad', { color: 'red', replicas: 'string' }));
    assert.notEqual(checked.code, 0);
    assert.match(checked.stderr, /invalid type for com\.example\.v1\.Widget\.spec\.replicas: got "string", expected "integer"/);
    const r = await c.kubectl(['create', '--validate=false', '-f', '-'], widget('bad', { color: 'red', replicas: 'string' }));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
    const raw = await c.api('POST', '/apis/example.com/v1/namespaces/default/widgets', JSON.parse(widget('bad', { color: 'purple' })));
    assert.equal(raw.status, 422);
    assert.equal(raw.body.reason, 'Invalid');
    assert.equal(raw.body.message, 'Widget.example.com "bad" is invalid: spec.color: Unsupported value: "purple": supported values: "red", "green", "blue"');
    assert.equal((await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/bad')).status, 404);
  });

  test('JSON only: a protobuf-first Accept gets JSON, strategic merge patch is 415', async () => {
    const r = await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w1', undefined, { Accept: 'application/vnd.kubernetes.protobuf, application/json' });
    assert.equal(r.status, 200);
    assert.match(r.contentType, /^application\/json/);
    const only = await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w1', undefined, { Accept: 'application/vnd.kubernetes.protobuf' });
    assert.equal(only.status, 406);
    const smp = await c.kubectl(['patch', 'wg', 'w1', '-p', '{"spec":{"color":"blue"}}']);
    assert.notEqual(smp.code, 0);
    assert.match(smp.stderr, /application\/strategic-merge-patch\+json is not supported/);
  });

  test('an operator watching the kind reconciles it: a ConfigMap per object, status through /status', async () => {
    const operator = startOperator(client);
    try {
      assert.equal((await c.kubectl(['apply', '-f', '-'], widget('w2', { color: 'green' }))).code, 0);
      const cm = await until('the ConfigMap of w2', async () => (await c.api('GET', '/api/v1/namespaces/default/configmaps/widget-w2')).body?.data);
      assert.deepEqual(cm, { color: 'green' });
      const status = await until('w2 status', async () => {
        const w = (await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w2')).body;
        return w.status?.configMap ? w : undefined;
      });
      assert.deepEqual(status.status, { configMap: 'widget-w2', observedGeneration: 1 });
      // A change to spec reaches the ConfigMap; the status subresource kept spec alone.
      assert.equal((await c.kubectl(['patch', 'wg', 'w2', '--type=merge', '-p', '{"spec":{"color":"blue"}}'])).code, 0);
      await until('the ConfigMap to follow', async () => ((await c.api('GET', '/api/v1/namespaces/default/configmaps/widget-w2')).body?.data?.color === 'blue' ? true : undefined));
      await until('observedGeneration 2', async () => ((await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w2')).body.status?.observedGeneration === 2 ? true : undefined));
      const table = await c.kubectl(['get', 'widget', 'w2', '--no-headers']);
      assert.match(table.stdout, /^w2\s+blue\s+1\s+widget-w2\s*$/m);
      // Status written through the main endpoint is ignored (status subresource on).
      const main = await c.api('PATCH', '/apis/example.com/v1/namespaces/default/widgets/w2', { status: { configMap: 'other' } }, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(main.status, 200);
      assert.equal(main.body.status.configMap, 'widget-w2');
    } finally {
      operator.stop();
    }
  });

  test('kubectl scale goes through the scale subresource', async () => {
    const r = await c.kubectl(['scale', 'wg/w1', '--replicas=5']);
    assert.equal(r.code, 0, r.stderr);
    const scale = await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w1/scale');
    assert.equal(scale.body.kind, 'Scale');
    assert.equal(scale.body.spec.replicas, 5);
    assert.equal((await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/w1')).body.spec.replicas, 5);
  });

  test('watch and field selectors work like any kind', async () => {
    const events = await c.watch('/apis/example.com/v1/namespaces/default/widgets?watch=1&fieldSelector=metadata.name%3Dw1', 1);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'ADDED');
    assert.equal((events[0].object as KubeObject).metadata.name, 'w1');
  });

  test('python: CustomObjectsApi creates, lists and patches custom objects', { skip: !PYTHON_CLIENT && 'python3-kubernetes is not installed' }, async () => {
    const program = `
from kubernetes import client, config
config.load_kube_config()
api = client.CustomObjectsApi()
api.create_namespaced_custom_object('example.com', 'v1', 'default', 'widgets', {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'py'}, 'spec': {'color': 'blue'}})
api.patch_namespaced_custom_object('example.com', 'v1', 'default', 'widgets', 'py', {'spec': {'replicas': 3}})
items = api.list_namespaced_custom_object('example.com', 'v1', 'default', 'widgets')['items']
print(sorted(i['metadata']['name'] for i in items), api.get_namespaced_custom_object('example.com', 'v1', 'default', 'widgets', 'py')['spec']['replicas'])
`;
    const r = await c.run(PYTHON, ['-c', program]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /'py'.*\] 3$/m);
  });

  test('kctl: one file holding a definition and its objects applies in one go; get, describe, apply changes, delete', async () => {
    const gizmos = `${CRD.replace(/widgets/g, 'gizmos').replace(/widget/g, 'gizmo').replace(/Widget/g, 'Gizmo').replace('[wg]', '[gz]')}
---
apiVersion: example.com/v1
kind: Gizmo
metadata: {name: g1, finalizers: [example.com/keep], labels: {tier: a}}
spec: {color: red, replicas: 2}
`;
    const applied = await c.kctl(['apply', '-f', '-'], gizmos);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/gizmos\.example\.com created\ngizmo\.example\.com\/g1 created/);
    const table = await c.kctl(['get', 'gz']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+COLOR\s+REPLICAS\s+CONFIGMAP\s*\ng1\s+red\s+2\s*$/);
    // The category names every kind that declares it; a qualified name finds the kind too.
    const category = await c.kctl(['get', 'gadgets', '-o', 'name']);
    assert.equal(category.code, 0, category.stderr);
    assert.match(category.stdout, /^widget\.example\.com\/w1$/m);
    assert.match(category.stdout, /^gizmo\.example\.com\/g1$/m);
    assert.equal((await c.kctl(['get', 'gizmos.example.com/g1', '-o', 'jsonpath={.spec.color}'])).stdout, 'red');
    const described = await c.kctl(['describe', 'gizmo', 'g1']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /^Kind:\s+Gizmo$/m);
    assert.match(described.stdout, /^  Color:\s+red$/m);
    // A changed manifest is applied as a JSON merge patch (a strategic one would be refused with
    // 415): the dropped label goes, the finalizer list is replaced whole, as kubectl does for custom kinds.
    const changed = gizmos.replace('{name: g1, finalizers: [example.com/keep], labels: {tier: a}}', '{name: g1}').replace('{color: red, replicas: 2}', '{color: blue, replicas: 2}');
    const reapplied = await c.kctl(['apply', '-f', '-'], changed);
    assert.equal(reapplied.code, 0, reapplied.stderr);
    assert.match(reapplied.stdout, /gizmo\.example\.com\/g1 configured/);
    const g1 = (await c.api('GET', '/apis/example.com/v1/namespaces/default/gizmos/g1')).body;
    assert.equal(g1.spec.color, 'blue');
    assert.equal(g1.metadata.labels, undefined);
    assert.equal(g1.metadata.finalizers, undefined);
    assert.match((await c.kctl(['apply', '-f', '-'], changed)).stdout, /gizmo\.example\.com\/g1 unchanged/);
    // An unknown kind still fails with the kinds that exist, and changes nothing.
    const unknown = await c.kctl(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Doohickey\nmetadata: {name: d}\n');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no matches for kind "Doohickey" in version "example\.com\/v1"; the kinds this cluster serves are: .*Gizmo \(example\.com\/v1\)/);
    assert.match((await c.kctl(['get', 'doohickeys'])).stderr, /the server doesn't have a resource type "doohickeys"/);
    const deleted = await c.kctl(['delete', 'gz', 'g1']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /gizmo\.example\.com "g1" deleted/);
    assert.equal((await c.kctl(['delete', 'crd', 'gizmos.example.com'])).code, 0);
    assert.equal((await c.api('GET', '/apis/example.com/v1/namespaces/default/gizmos')).status, 404);
  });

  test('OpenAPI: kubectl explain and kctl explain print the schema alike; kubectl refuses an unknown field', async () => {
    const k = await c.kubectl(['explain', 'wg.spec']);
    assert.equal(k.code, 0, k.stderr);
    assert.match(k.stdout, /^KIND:\s+Widget$/m);
    assert.match(k.stdout, /^  color\t<string> -required-$/m);
    assert.match(k.stdout, /^  replicas\t<integer>$/m);
    const mine = await c.kctl(['explain', 'wg.spec']);
    assert.equal(mine.code, 0, mine.stderr);
    assert.equal(mine.stdout, k.stdout);
    const unknown = await c.kubectl(['apply', '-f', '-'], widget('typo', { color: 'red', colour: 'blue' }));
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /unknown field "colour"/);
    assert.equal((await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets/typo')).status, 404);
  });

  test('deleting the definition deletes its objects and stops serving them', async () => {
    const r = await c.kubectl(['delete', 'crd', 'widgets.example.com', '--timeout=30s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await c.api('GET', '/apis/example.com/v1/namespaces/default/widgets')).status, 404);
    assert.equal((await c.api('GET', '/apis/example.com')).status, 404);
    // Defined again, it starts empty: the old objects went with the definition.
    assert.equal((await c.kubectl(['apply', '-f', '-'], CRD)).code, 0);
    assert.equal((await c.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s'])).code, 0);
    const list = await c.api('GET', '/apis/example.com/v1/widgets');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items, []);
  });
});

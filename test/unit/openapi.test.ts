import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../../src/api/resources.js';
import { patchMetaFor } from '../../src/api/patch/patch-merge-keys.js';
import { kindDefinition, listDefinition, type Schema } from '../../src/apiserver/openapi/definitions.js';
import { openApiV3Documents, swaggerDocument } from '../../src/apiserver/openapi/documents.js';
import { encodeSwaggerProtobuf } from '../../src/apiserver/openapi/gnostic.js';
import { serveDefinition } from '../../src/apiserver/registry/customresources/served-versions.js';
import schemaDocument from '../../src/apiserver/registry/schemas/kubernetes.json' with { type: 'json' };
import schemaDocs from '../../src/apiserver/openapi/schema-docs.json' with { type: 'json' };

const MEDIA = { responses: ['application/json'], watches: ['application/json;stream=watch'], patches: ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] };
const swagger = swaggerDocument('v1.32.0-test', MEDIA);
const defs = swagger.definitions as Record<string, Schema>;

/** Every `$ref` under node. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      // JSONSchemaProps (CustomResourceDefinition) has a property named $ref: a schema, not a reference.
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

test('schema-docs.json is current with the schemas (else run node scripts/generate-schemas.mjs, which makes both)', () => {
  const stale = Object.keys(schemaDocument.definitions).filter((name) => !(name in schemaDocs.definitions));
  assert.deepEqual(stale, [], 'definitions without OpenAPI names and descriptions');
  assert.deepEqual(RESOURCES.filter((r) => !(r.kind in schemaDocs.lists)).map((r) => r.kind), [], 'kinds without a list description');
});

test('every kind and its list are defined under Kubernetes names, with their group-version-kind', () => {
  for (const r of RESOURCES) {
    const kind = defs[kindDefinition(r)];
    assert.ok(kind, r.kind);
    assert.deepEqual(kind['x-kubernetes-group-version-kind'], [{ group: r.group, kind: r.kind, version: r.version }]);
    const list = defs[listDefinition(r)];
    assert.equal(list.properties.items.items.$ref, `#/definitions/${kindDefinition(r)}`);
    assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: r.group, kind: `${r.kind}List`, version: r.version }]);
  }
  assert.equal(kindDefinition(RESOURCES.find((r) => r.kind === 'Deployment')!), 'io.k8s.api.apps.v1.Deployment');
  assert.ok(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(defs['io.k8s.api.discovery.v1.EndpointPort'], 'the discovery group\'s own EndpointPort keeps its Kubernetes name');
});

test('definitions carry Kubernetes\' descriptions and types, and no validation-only keywords', () => {
  const podSpec = defs['io.k8s.api.core.v1.PodSpec'];
  assert.equal(podSpec.description, 'PodSpec is a description of a pod.');
  assert.deepEqual(podSpec.required, ['containers']);
  assert.match(podSpec.properties.containers.description, /^List of containers belonging to the pod/);
  assert.equal(podSpec.properties.containers.items.$ref, '#/definitions/io.k8s.api.core.v1.Container');
  assert.equal(defs['io.k8s.api.core.v1.HTTPGetAction'].properties.port.$ref, '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.deepEqual(
    { type: defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, format: defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format },
    { type: 'string', format: 'int-or-string' },
  );
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
  assert.deepEqual(defs['io.k8s.api.core.v1.PodSpec'].properties.restartPolicy.enum, ['Always', 'Never', 'OnFailure']);
  assert.equal(defs['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
  const text = JSON.stringify(defs);
  assert.ok(!text.includes('"additionalProperties":false'), 'unknown fields are implied by the properties, as in Kubernetes');
  assert.ok(!text.includes('"const"'));
  for (const ref of refs(swagger)) assert.ok(defs[ref.slice('#/definitions/'.length)], `dangling ${ref}`);
});

test('patch extensions follow the table the server merges with', () => {
  const containers = defs['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(defs['io.k8s.api.core.v1.Container'].properties.ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(defs['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.equal(defs['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.finalizers['x-kubernetes-list-type'], 'set');
  assert.equal(defs['io.k8s.api.core.v1.PodSpec'].properties.tolerations['x-kubernetes-patch-strategy'], undefined, 'tolerations are replaced whole');
  assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type'], 'atomic');
  // List and map types are those server-side apply merges with.
  assert.equal(defs['io.k8s.api.core.v1.PodSpec'].properties.nodeSelector['x-kubernetes-map-type'], 'atomic');
  assert.deepEqual(defs['io.k8s.api.core.v1.PodSpec'].properties.topologySpreadConstraints['x-kubernetes-list-map-keys'], ['topologyKey', 'whenUnsatisfiable']);
  assert.deepEqual(defs['io.k8s.api.core.v1.ServiceSpec'].properties.ports['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  // Walk Deployment the way kubectl computes a patch and compare with the server's table at every field
  // (but an ephemeral volume's claim template: the table, by path, leaves its metadata out, while a
  // definition, by type, cannot).
  const walk = (kind: string, defName: string, path: string[]) => {
    for (const [prop, schema] of Object.entries((defs[defName].properties ?? {}) as Record<string, Schema>)) {
      const at = [...path, prop];
      if (prop === 'volumeClaimTemplate') continue;
      const meta = patchMetaFor(kind, at);
      assert.equal(schema['x-kubernetes-patch-merge-key'], meta.mergeKey, at.join('.'));
      assert.equal(!!schema['x-kubernetes-patch-strategy']?.includes('merge'), !!meta.merge, at.join('.'));
      const next = schema.$ref ?? schema.items?.$ref;
      if (next && at.length < 8) walk(kind, next.slice('#/definitions/'.length), at);
    }
  };
  walk('Deployment', 'io.k8s.api.apps.v1.Deployment', []);
});

test('paths: every operation of every resource, with its action and group-version-kind', () => {
  const paths = swagger.paths as Record<string, Schema>;
  const deployments = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.equal(deployments.patch.operationId, 'patchAppsV1NamespacedDeployment');
  assert.deepEqual(deployments.patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok(deployments.patch.consumes.includes('application/strategic-merge-patch+json'));
  assert.equal(paths['/api/v1/namespaces/{namespace}/pods'].get.operationId, 'listCoreV1NamespacedPod');
  assert.equal(paths['/api/v1/pods'].get.operationId, 'listCoreV1PodForAllNamespaces');
  assert.equal(paths['/api/v1/nodes/{name}'].get.operationId, 'readCoreV1Node');
  assert.equal(paths['/api/v1/watch/namespaces/{namespace}/pods/{name}'].get['x-kubernetes-action'], 'watch');
  assert.equal(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get['x-kubernetes-group-version-kind'].kind, 'Scale');
  for (const r of RESOURCES) {
    const actions = Object.values(paths)
      .flatMap((item) => ['get', 'put', 'post', 'patch', 'delete'].map((m) => item[m]).filter(Boolean))
      .filter((op) => op['x-kubernetes-group-version-kind'].kind === r.kind && op['x-kubernetes-group-version-kind'].group === r.group)
      .map((op) => op['x-kubernetes-action']);
    for (const action of ['list', 'post', 'deletecollection', 'get', 'put', 'patch', 'delete', 'watch', 'watchlist']) {
      assert.ok(actions.includes(action), `${r.kind} ${action}`);
    }
  }
  // kubectl validates client-side unless the server says it validates fields itself.
  assert.ok(!JSON.stringify(paths).includes('"fieldValidation"'));
});

test('OpenAPI v3: one document per group version, self-contained, with Kubernetes\' oneOf types', () => {
  const docs = openApiV3Documents('v1.32.0-test', swagger);
  assert.deepEqual([...docs.keys()].slice(0, 3), ['api/v1', 'apis/apiextensions.k8s.io/v1', 'apis/apps/v1']);
  for (const [key, doc] of docs) {
    const schemas = doc.components.schemas as Record<string, Schema>;
    for (const ref of refs(doc)) assert.ok(schemas[ref.slice('#/components/schemas/'.length)], `${key}: dangling ${ref}`);
    for (const path of Object.keys(doc.paths)) assert.ok(path.startsWith(`/${key}/`), `${path} in ${key}`);
  }
  const apps = docs.get('apis/apps/v1')!.components.schemas as Record<string, Schema>;
  assert.deepEqual(apps['io.k8s.api.apps.v1.DeploymentSpec'].properties.template, {
    description: apps['io.k8s.api.apps.v1.DeploymentSpec'].properties.template.description,
    allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }],
  });
  assert.deepEqual(apps['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(apps['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, undefined);
  const patch = docs.get('apis/apps/v1')!.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
  assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
});

/** A minimal protobuf reader: the fields of one message as [number, value] (length-delimited values as buffers). */
function fields(buf: Buffer): [number, Buffer | number][] {
  const out: [number, Buffer | number][] = [];
  let i = 0;
  const varint = () => {
    let n = 0;
    let shift = 1;
    for (;;) {
      const b = buf[i++];
      n += (b & 0x7f) * shift;
      if (b < 0x80) return n;
      shift *= 128;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    if ((tag & 7) === 2) {
      const len = varint();
      out.push([tag >> 3, buf.subarray(i, i + len)]);
      i += len;
    } else out.push([tag >> 3, varint()]);
  }
  return out;
}

test('the protobuf form is gnostic\'s openapi_v2.Document', () => {
  const pb = encodeSwaggerProtobuf(swagger);
  const top = fields(pb);
  assert.equal(String(top.find(([n]) => n === 1)![1]), '2.0');
  const info = fields(top.find(([n]) => n === 2)![1] as Buffer);
  assert.deepEqual(info.map(([n, v]) => [n, String(v)]), [[1, 'Kubernetes'], [2, 'v1.32.0-test']]);
  const definitions = fields(top.find(([n]) => n === 9)![1] as Buffer).map(([, v]) => fields(v as Buffer));
  assert.equal(definitions.length, Object.keys(defs).length);
  const pod = definitions.find((d) => String(d[0][1]) === 'io.k8s.api.core.v1.Pod')!;
  const schema = fields(pod[1][1] as Buffer);
  const extension = fields(schema.find(([n]) => n === 31)![1] as Buffer);
  assert.equal(String(extension[0][1]), 'x-kubernetes-group-version-kind');
  assert.deepEqual(JSON.parse(String(fields(extension[1][1] as Buffer)[0][1])), [{ group: '', kind: 'Pod', version: 'v1' }]);
  const type = fields(schema.find(([n]) => n === 22)![1] as Buffer);
  assert.equal(String(type[0][1]), 'object');
  const properties = fields(schema.find(([n]) => n === 25)![1] as Buffer).map(([, v]) => String(fields(v as Buffer)[0][1]));
  assert.deepEqual(properties, ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const paths = fields(top.find(([n]) => n === 8)![1] as Buffer);
  assert.equal(paths.length, Object.keys(swagger.paths).length);
});

test('custom kinds are in the documents while served: their schema under Kubernetes names, JSON only, unknown-field nodes left open', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['color'],
                  properties: {
                    color: { type: 'string', enum: ['red', 'blue'], description: 'The color.' },
                    size: { 'x-kubernetes-int-or-string': true },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
                    maybe: { type: 'string', nullable: true, anyOf: [{ pattern: '^a' }, { pattern: '^b' }] },
                  },
                },
              },
            },
          },
        },
      ],
    },
    status: { acceptedNames: { plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' }, conditions: [{ type: 'Established', status: 'True' }] },
  };
  serveDefinition('widgets.example.com', crd);
  try {
    const served = swaggerDocument('v1.32.0-test', { ...MEDIA, responses: ['application/json', 'application/vnd.kubernetes.protobuf'] });
    const widget = (served.definitions as Record<string, Schema>)['com.example.v1.Widget'];
    assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Widget', version: 'v1' }]);
    assert.deepEqual(Object.keys(widget.properties), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(widget.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const spec = widget.properties.spec;
    assert.deepEqual(spec.required, ['color']);
    assert.deepEqual(spec.properties.color, { description: 'The color.', type: 'string', enum: ['red', 'blue'] });
    assert.equal(spec.properties.size.$ref, '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    assert.deepEqual(spec.properties.extra, { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(spec.properties.maybe, { type: 'string' });
    assert.equal((served.definitions as Record<string, Schema>)['com.example.v1.WidgetList'].properties.items.items.$ref, '#/definitions/com.example.v1.Widget');
    const list = (served.paths as Record<string, Schema>)['/apis/example.com/v1/namespaces/{namespace}/widgets'];
    assert.deepEqual(list.get.produces, ['application/json', 'application/json;stream=watch']);
    assert.ok(!(served.paths as Record<string, Schema>)['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch.consumes.includes('application/strategic-merge-patch+json'));
    const v3 = openApiV3Documents('v1.32.0-test', served).get('apis/example.com/v1')!;
    assert.ok(v3.components.schemas['com.example.v1.Widget']);
    assert.ok(v3.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    encodeSwaggerProtobuf(served);
  } finally {
    serveDefinition('widgets.example.com', undefined);
  }
  const after = swaggerDocument('v1.32.0-test', MEDIA);
  assert.equal((after.definitions as Record<string, Schema>)['com.example.v1.Widget'], undefined);
});

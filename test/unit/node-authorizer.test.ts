import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { requestAttributes } from '../../src/apiserver/authorization/attributes.js';
import { parseRoute } from '../../src/apiserver/http/routes.js';
import { NodeGraph, podReferences } from '../../src/apiserver/authorization/node-graph.js';
import { NodeAuthorizer } from '../../src/apiserver/authorization/node-authorizer.js';
import type { InformerHandlers } from '../../src/api/informer.js';
import { admitNodeWrite } from '../../src/apiserver/authorization/node-restriction.js';
import type { UserInfo } from '../../src/apiserver/authorization/user.js';
import { authzRegistry } from '../helpers/authz-registry.js';
import { node, pod } from '../helpers/builders.js';

const N1: UserInfo = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const PODS = findByKind('Pod')!;

let env: Awaited<ReturnType<typeof authzRegistry>>;
before(async () => {
  env = await authzRegistry();
});
after(() => env.done());

function allowed(user: UserInfo, method: string, url: string): boolean {
  const u = new URL(url, 'https://localhost');
  return env.authorizer.authorize(user, requestAttributes(method, u.pathname, parseRoute(u.pathname), u.searchParams)).allowed;
}

const NS1 = { namespace: 'ns1' };

test("a pod's references: its service account, secrets and config maps from volumes, env, envFrom and pull secrets", () => {
  const refs = podReferences(
    pod('web', {
      metadata: NS1,
      spec: {
        nodeName: 'n1',
        serviceAccountName: 'robot',
        imagePullSecrets: [{ name: 'registry' }],
        volumes: [
          { name: 'a', secret: { secretName: 'tls' } },
          { name: 'b', configMap: { name: 'conf' } },
          { name: 'c', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }, { secret: { name: 'proj' } }] } },
          { name: 'd', persistentVolumeClaim: { claimName: 'data' } },
        ],
        containers: [{ name: 'c', image: 'x', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } }], envFrom: [{ configMapRef: { name: 'env' } }] }],
      },
    }),
  ).sort();
  assert.deepEqual(refs, [
    'configmaps/ns1/conf',
    'configmaps/ns1/env',
    'configmaps/ns1/kube-root-ca.crt',
    'persistentvolumeclaims/ns1/data',
    'pods/ns1/web',
    'secrets/ns1/db',
    'secrets/ns1/proj',
    'secrets/ns1/registry',
    'secrets/ns1/tls',
    'serviceaccounts/ns1/robot',
  ]);
});

test('a node reads only the secrets and config maps of pods bound to it, and follows them as pods come and go', async () => {
  env.create(pod('web', { metadata: NS1, spec: { nodeName: 'n1', volumes: [{ name: 's', secret: { secretName: 'web-tls' } }] } }));
  env.create(pod('db', { metadata: NS1, spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'x', envFrom: [{ secretRef: { name: 'db-pass' } }] }] } }));
  env.create(pod('pending', { metadata: NS1, spec: { volumes: [{ name: 's', secret: { secretName: 'pending-secret' } }] } }));
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets/web-tls'), true);
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets?fieldSelector=metadata.name%3Dweb-tls&watch=true'), true);
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets/db-pass'), false);
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets/pending-secret'), false);
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets'), false);
  assert.equal(allowed(N1, 'PUT', '/api/v1/namespaces/ns1/secrets/web-tls'), false);
  assert.equal(allowed(N1, 'POST', '/api/v1/namespaces/ns1/serviceaccounts/default/token'), true);
  assert.equal(allowed(N1, 'POST', '/api/v1/namespaces/ns2/serviceaccounts/default/token'), false);
  const decision = env.authorizer.authorize(N1, { resourceRequest: true, verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'ns1', name: 'db-pass' });
  assert.equal(decision.reason, "no relationship found between node 'n1' and this object");
  // A pod being deleted gracefully keeps its secret readable while the node stops it.
  env.registry.delete(PODS, 'ns1', 'web');
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets/web-tls'), true);
  env.registry.delete(PODS, 'ns1', 'web', { gracePeriodSeconds: 0 });
  assert.equal(env.registry.tryGet(PODS, 'ns1', 'web'), undefined);
  assert.equal(allowed(N1, 'GET', '/api/v1/namespaces/ns1/secrets/web-tls'), false);
});

test('a node sees its own Node, Lease and pods', () => {
  const byNodeAuthorizer = (a: object) => env.authorizer.authorize(N1, { resourceRequest: true, apiGroup: '', resource: 'nodes', verb: 'get', ...a });
  assert.equal(byNodeAuthorizer({ name: 'n1' }).allowed, true);
  assert.equal(byNodeAuthorizer({ verb: 'delete', name: 'n1' }).allowed, false);
  const cases: [string, string, boolean][] = [
    ['GET', '/api/v1/nodes/n1', true],
    // Other Nodes only through kctl:machine-network: the pod network routes to every node's podCIDR.
    ['GET', '/api/v1/nodes/n2', true],
    ['GET', '/api/v1/nodes', true],
    ['POST', '/api/v1/nodes', true],
    ['PATCH', '/api/v1/nodes/n1/status', true],
    ['DELETE', '/api/v1/nodes/n1', false],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1', true],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2', false],
    ['GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1', true],
    // Every pod listed and watched only through kctl:machine-network: policies select peers among them.
    ['GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn2', true],
    ['GET', '/api/v1/pods', true],
    ['GET', '/api/v1/namespaces/ns1/pods/db', false],
    ['PATCH', '/api/v1/namespaces/ns1/pods/db/status', true],
    ['GET', '/api/v1/services?watch=true', true],
    ['GET', '/apis/discovery.k8s.io/v1/endpointslices', true],
    ['GET', '/apis/apps/v1/deployments', false],
  ];
  for (const [method, url, ok] of cases) assert.equal(allowed(N1, method, url), ok, `${method} ${url}`);
});

test('NodeRestriction: a node changes only itself and the pods bound to it', () => {
  admitNodeWrite(N1, { kind: 'Node', verb: 'update', obj: node('n1'), old: node('n1') });
  assert.throws(() => admitNodeWrite(N1, { kind: 'Node', verb: 'patch', obj: node('n2'), old: node('n2') }), { message: 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"' });
  assert.throws(() => admitNodeWrite(N1, { kind: 'Node', verb: 'create', obj: node('n1', { labels: { 'node-restriction.kubernetes.io/pool': 'a' } }) }), {
    message: 'nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/pool',
  });
  assert.throws(() => admitNodeWrite(N1, { kind: 'Node', verb: 'update', obj: node('n1', { labels: { 'node-restriction.kubernetes.io/pool': 'b' } }), old: node('n1', { labels: { 'node-restriction.kubernetes.io/pool': 'a' } }) }), {
    message: 'nodes "n1" is forbidden: node "n1" is not allowed to modify labels: node-restriction.kubernetes.io/pool',
  });
  assert.throws(() => admitNodeWrite(N1, { kind: 'Pod', verb: 'create', obj: pod('x', { metadata: NS1, spec: { nodeName: 'n1' } }) }), /can only create mirror pods/);
  admitNodeWrite(N1, { kind: 'Pod', verb: 'patch', subresource: 'status', obj: pod('web', { metadata: NS1, spec: { nodeName: 'n1' } }), old: pod('web', { metadata: NS1, spec: { nodeName: 'n1' } }) });
  assert.throws(() => admitNodeWrite(N1, { kind: 'Pod', verb: 'patch', subresource: 'status', obj: pod('db', { metadata: NS1, spec: { nodeName: 'n2' } }), old: pod('db', { metadata: NS1, spec: { nodeName: 'n2' } }) }), {
    message: 'pods "db" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself',
  });
  assert.throws(() => admitNodeWrite(N1, { kind: 'Pod', verb: 'delete', obj: pod('db', { metadata: NS1, spec: { nodeName: 'n2' } }) }), /can only delete pods with spec.nodeName set to itself/);
  assert.throws(() => admitNodeWrite(N1, { kind: 'Lease', verb: 'create', obj: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n2', namespace: 'kube-node-lease' } } }), /same name as the requesting node/);
  admitNodeWrite({ name: 'admin', groups: ['system:masters'] }, { kind: 'Node', verb: 'patch', obj: node('n2'), old: node('n2') });
});

test('until the graph has read every pod, a node is refused its pods\' objects (its own Node and Lease are not waited for)', async () => {
  let release!: () => void;
  const synced = new Promise<void>((r) => (release = r));
  const handlers: InformerHandlers[] = [];
  const graph = new NodeGraph({ get: () => undefined, list: () => [], addHandlers: (h) => handlers.push(h) }, synced);
  const node = new NodeAuthorizer(graph);
  handlers[0].add!(pod('web', { metadata: NS1, spec: { nodeName: 'n1', volumes: [{ name: 's', secret: { secretName: 'token' } }] } }));
  const ask = (method: string, path: string) => node.authorize(N1, requestAttributes(method, path, parseRoute(path), new URLSearchParams()));
  assert.deepEqual(ask('GET', '/api/v1/namespaces/ns1/secrets/token'), { allowed: false, reason: 'node authorizer graph not yet synced' });
  assert.equal(ask('GET', '/api/v1/nodes/n1')?.allowed, true);
  release();
  await synced;
  assert.equal(ask('GET', '/api/v1/namespaces/ns1/secrets/token')?.allowed, true);
  assert.equal(ask('GET', '/api/v1/namespaces/ns1/secrets/other')?.allowed, false);
});

test('a node gets only the PersistentVolumes its pods\' claims are bound to', async () => {
  const handlers: InformerHandlers[] = [];
  const claims: Record<string, KubeObject> = {
    'ns1/data': { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'ns1' }, spec: { volumeName: 'pv-data' } },
    'ns1/other': { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'other', namespace: 'ns1' }, spec: { volumeName: 'pv-other' } },
  };
  const claimCache = { get: (key: string) => claims[key], list: () => Object.values(claims), addHandlers: () => {} };
  const graph = new NodeGraph({ get: () => undefined, list: () => [], addHandlers: (h) => handlers.push(h) }, Promise.resolve(), claimCache);
  await Promise.resolve();
  const node = new NodeAuthorizer(graph);
  handlers[0].add!(pod('db', { metadata: NS1, spec: { nodeName: 'n1', volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } }));
  const ask = (method: string, path: string) => node.authorize(N1, requestAttributes(method, path, parseRoute(path), new URLSearchParams()));
  assert.equal(ask('GET', '/api/v1/persistentvolumes/pv-data')?.allowed, true);
  assert.deepEqual(ask('GET', '/api/v1/persistentvolumes/pv-other'), { allowed: false, reason: "no relationship found between node 'n1' and this object" });
  assert.deepEqual(ask('GET', '/api/v1/persistentvolumes'), { allowed: false, reason: 'can only get individual resources of this type' });
  handlers[0].delete!(pod('db', { metadata: NS1, spec: { nodeName: 'n1', volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } }));
  assert.equal(ask('GET', '/api/v1/persistentvolumes/pv-data')?.allowed, false);
});

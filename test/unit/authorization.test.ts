import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forbidden, isAllowed, requestAttributes } from '../../src/apiserver/http/authorization.js';
import { parseRoute } from '../../src/apiserver/http/routes.js';
import type { UserInfo } from '../../src/apiserver/http/authentication.js';

const ADMIN: UserInfo = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const NODE: UserInfo = { name: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] };
const BOOTSTRAPPER: UserInfo = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const OTHER: UserInfo = { name: 'jane', groups: ['system:authenticated'] };

function attributes(method: string, url: string) {
  const u = new URL(url, 'https://localhost');
  return requestAttributes(method, u.pathname, parseRoute(u.pathname), u.searchParams);
}

test('requests map to Kubernetes verbs, resources and scopes', () => {
  const cases: [string, string, object][] = [
    ['GET', '/api/v1/nodes', { verb: 'list', apiGroup: '', resource: 'nodes' }],
    ['GET', '/api/v1/nodes?watch=true', { verb: 'watch', resource: 'nodes' }],
    ['GET', '/api/v1/nodes?watch=True', { verb: 'watch', resource: 'nodes' }],
    ['GET', '/api/v1/nodes?watch=false', { verb: 'list', resource: 'nodes' }],
    // The legacy /watch/ paths, which Ruby's kubeclient uses.
    ['GET', '/api/v1/watch/nodes', { verb: 'watch', resource: 'nodes' }],
    ['GET', '/api/v1/watch/namespaces/default/pods', { verb: 'watch', resource: 'pods', namespace: 'default' }],
    ['GET', '/api/v1/watch/namespaces/default/pods/web', { verb: 'watch', resource: 'pods', namespace: 'default', name: 'web' }],
    ['GET', '/apis/apps/v1/watch/namespaces/default/deployments', { verb: 'watch', apiGroup: 'apps', resource: 'deployments', namespace: 'default' }],
    ['GET', '/apis/apps/v1/watch/deployments', { verb: 'watch', apiGroup: 'apps', resource: 'deployments' }],
    ['GET', '/api/v1/nodes/node-1', { verb: 'get', name: 'node-1' }],
    ['PATCH', '/api/v1/nodes/node-1/status', { verb: 'patch', resource: 'nodes', subresource: 'status', name: 'node-1' }],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1', { verb: 'update', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }],
    ['POST', '/api/v1/namespaces/default/events', { verb: 'create', resource: 'events', namespace: 'default' }],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { verb: 'delete', apiGroup: 'apps', resource: 'deployments', name: 'web' }],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments', { verb: 'deletecollection' }],
    ['GET', '/api/v1/namespaces/default', { verb: 'get', resource: 'namespaces', namespace: 'default', name: 'default' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: undefined }],
  ];
  for (const [method, url, want] of cases) {
    const a = attributes(method, url);
    assert.equal(a.resourceRequest, true, url);
    for (const [k, v] of Object.entries(want)) assert.equal((a as any)[k], v, `${method} ${url}: ${k}`);
  }
  assert.deepEqual(attributes('GET', '/apis/apps/v1'), { resourceRequest: false, verb: 'get', path: '/apis/apps/v1' });
});

test('the admin may do anything', () => {
  for (const [method, url] of [['DELETE', '/apis/apps/v1/namespaces/default/deployments/web'], ['POST', '/api/v1/namespaces'], ['GET', '/metrics']]) {
    assert.equal(isAllowed(ADMIN, attributes(method, url)), true, `${method} ${url}`);
  }
});

test('a node (its client certificate) may do what a kubelet needs, and nothing else', () => {
  const cases: [string, string, boolean][] = [
    ['POST', '/api/v1/nodes', true],
    ['GET', '/api/v1/nodes/node-1', true],
    ['PUT', '/api/v1/nodes/node-1', true],
    ['PATCH', '/api/v1/nodes/node-1/status', true],
    ['GET', '/api/v1/nodes?watch=1', true],
    ['DELETE', '/api/v1/nodes/node-1', false],
    ['POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', true],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1', true],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/default/leases/node-1', false],
    ['GET', '/apis/coordination.k8s.io/v1/leases', false],
    ['GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&watch=true', true],
    ['PATCH', '/api/v1/namespaces/default/pods/web/status', true],
    ['DELETE', '/api/v1/namespaces/default/pods/web', true],
    ['POST', '/api/v1/namespaces/default/pods', false],
    ['PATCH', '/api/v1/namespaces/default/pods/web', false],
    ['POST', '/api/v1/namespaces/default/pods/web/binding', false],
    ['POST', '/api/v1/namespaces/default/events', true],
    ['GET', '/api/v1/namespaces/default/secrets/db', true],
    ['PUT', '/api/v1/namespaces/default/secrets/db', false],
    ['GET', '/api/v1/namespaces/default/configmaps', true],
    ['GET', '/api/v1/services', true],
    ['GET', '/api/v1/namespaces/default/endpoints/web', true],
    ['GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=true', true],
    ['DELETE', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-abcde', false],
    ['GET', '/apis/networking.k8s.io/v1/ingresses', true],
    ['GET', '/apis/networking.k8s.io/v1/ingressclasses/nginx', true],
    ['PUT', '/apis/networking.k8s.io/v1/namespaces/default/ingresses/web/status', true],
    ['PUT', '/apis/networking.k8s.io/v1/namespaces/default/ingresses/web', false],
    ['GET', '/api/v1/namespaces', true],
    ['POST', '/api/v1/namespaces', false],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments/web', false],
    ['GET', '/apis/apps/v1/namespaces/default/deployments', false],
    ['GET', '/apis/batch/v1/jobs', false],
    ['GET', '/api/v1/serviceaccounts', false],
    ['GET', '/api', true],
    ['GET', '/apis/apps/v1', true],
    ['GET', '/version', true],
    ['GET', '/openapi/v2', true],
    ['GET', '/metrics', false],
    ['POST', '/api', false],
  ];
  for (const [method, url, allowed] of cases) assert.equal(isAllowed(NODE, attributes(method, url)), allowed, `${method} ${url}`);
});

test('a bootstrap token may only ask for a certificate, follow its own requests and read cluster-info', () => {
  const owner = { csrRequester: (name: string) => (name === 'csr-mine' ? BOOTSTRAPPER.name : name === 'csr-other' ? 'system:bootstrap:zzzzzz' : undefined) };
  const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
  const cases: [string, string, boolean][] = [
    ['POST', csrs, true],
    ['GET', `${csrs}/csr-mine`, true],
    ['GET', `${csrs}?fieldSelector=metadata.name%3Dcsr-mine&watch=true`, true],
    ['GET', `${csrs}/csr-other`, false],
    ['GET', `${csrs}?fieldSelector=metadata.name%3Dcsr-other&watch=true`, false],
    ['GET', csrs, false],
    ['PUT', `${csrs}/csr-mine/approval`, false],
    ['GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', true],
    ['GET', '/api/v1/namespaces/kube-public/configmaps/other', false],
    ['PUT', '/api/v1/namespaces/kube-public/configmaps/cluster-info', false],
    ['GET', '/api/v1/namespaces/kube-system/secrets', false],
    ['GET', '/api/v1/namespaces/default/secrets/db', false],
    ['POST', '/api/v1/nodes', false],
    ['GET', '/api/v1/nodes', false],
    ['GET', '/api', true],
  ];
  for (const [method, url, allowed] of cases) assert.equal(isAllowed(BOOTSTRAPPER, attributes(method, url), owner), allowed, `${method} ${url}`);
  assert.equal(
    forbidden(BOOTSTRAPPER, attributes('GET', '/api/v1/namespaces/kube-system/secrets')).message,
    'secrets is forbidden: User "system:bootstrap:abcdef" cannot list resource "secrets" in API group "" in the namespace "kube-system"',
  );
});

test('a node may renew its own certificate; the anonymous user may read cluster-info and nothing else', () => {
  const owner = { csrRequester: (name: string) => (name === 'csr-mine' ? NODE.name : undefined) };
  assert.equal(isAllowed(NODE, attributes('POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests'), owner), true);
  assert.equal(isAllowed(NODE, attributes('GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-mine'), owner), true);
  assert.equal(isAllowed(NODE, attributes('GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-x'), owner), false);
  assert.equal(isAllowed(ANONYMOUS, attributes('GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info')), true);
  assert.equal(isAllowed(ANONYMOUS, attributes('GET', '/api/v1/namespaces/kube-public/configmaps')), false);
  assert.equal(isAllowed(ANONYMOUS, attributes('GET', '/api')), false);
});

test('other users get discovery only', () => {
  assert.equal(isAllowed(OTHER, attributes('GET', '/apis')), true);
  assert.equal(isAllowed(OTHER, attributes('GET', '/api/v1/nodes')), false);
});

test("Forbidden says who cannot do what where, in Kubernetes' words", () => {
  const cases: [string, string, string][] = [
    [
      'DELETE',
      '/apis/apps/v1/namespaces/default/deployments/web',
      'deployments.apps "web" is forbidden: User "system:node:node-1" cannot delete resource "deployments" in API group "apps" in the namespace "default"',
    ],
    ['POST', '/api/v1/namespaces', 'namespaces is forbidden: User "system:node:node-1" cannot create resource "namespaces" in API group "" at the cluster scope'],
    [
      'POST',
      '/api/v1/namespaces/default/pods/web/binding',
      'pods "web" is forbidden: User "system:node:node-1" cannot create resource "pods/binding" in API group "" in the namespace "default"',
    ],
    ['GET', '/metrics', 'forbidden: User "system:node:node-1" cannot get path "/metrics"'],
  ];
  for (const [method, url, message] of cases) {
    const err = forbidden(NODE, attributes(method, url));
    assert.equal(err.message, message);
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
  }
  assert.deepEqual(forbidden(NODE, attributes('DELETE', '/apis/apps/v1/namespaces/default/deployments/web')).toStatus().details, {
    name: 'web',
    group: 'apps',
    kind: 'deployments',
  });
});

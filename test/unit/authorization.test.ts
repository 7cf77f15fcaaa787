import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { requestAttributes } from '../../src/apiserver/authorization/attributes.js';
import { forbidden } from '../../src/apiserver/authorization/authorizer.js';
import { parseRoute } from '../../src/apiserver/http/routes.js';
import type { UserInfo } from '../../src/apiserver/authorization/user.js';
import { authzRegistry } from '../helpers/authz-registry.js';
import { until } from '../helpers/until.js';
import { reviewAttributes, reviewRoute } from '../../src/apiserver/http/access-reviews.js';

const ADMIN: UserInfo = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const JOIN: UserInfo = { name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
const OTHER: UserInfo = { name: 'jane', groups: ['system:authenticated'] };
const SA: UserInfo = { name: 'system:serviceaccount:ns1:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] };

function attributes(method: string, url: string) {
  const u = new URL(url, 'https://localhost');
  return requestAttributes(method, u.pathname, parseRoute(u.pathname), u.searchParams);
}

let env: Awaited<ReturnType<typeof authzRegistry>>;
before(async () => {
  env = await authzRegistry();
});
after(() => env.done());

function allowed(user: UserInfo, method: string, url: string): boolean {
  return env.authorizer.authorize(user, attributes(method, url)).allowed;
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
    ['GET', '/api/v1/nodes?fieldSelector=metadata.name%3Dnode-1', { verb: 'list', name: 'node-1' }],
    ['PATCH', '/api/v1/nodes/node-1/status', { verb: 'patch', resource: 'nodes', subresource: 'status', name: 'node-1' }],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1', { verb: 'update', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease' }],
    ['POST', '/api/v1/namespaces/default/events', { verb: 'create', resource: 'events', namespace: 'default' }],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { verb: 'delete', apiGroup: 'apps', resource: 'deployments', name: 'web' }],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments', { verb: 'deletecollection' }],
    ['GET', '/api/v1/namespaces/default', { verb: 'get', resource: 'namespaces', namespace: 'default', name: 'default' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: undefined }],
    ['GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/ns1/rolebindings', { verb: 'list', apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings' }],
  ];
  for (const [method, url, want] of cases) {
    const a = attributes(method, url);
    assert.equal(a.resourceRequest, true, url);
    for (const [k, v] of Object.entries(want)) assert.equal((a as any)[k], v, `${method} ${url}: ${k}`);
  }
  assert.deepEqual(attributes('GET', '/apis/apps/v1'), { resourceRequest: false, verb: 'get', path: '/apis/apps/v1' });
});

test('system:masters may do anything', () => {
  for (const [method, url] of [['DELETE', '/apis/apps/v1/namespaces/default/deployments/web'], ['POST', '/api/v1/namespaces'], ['GET', '/metrics']]) {
    assert.equal(allowed(ADMIN, method, url), true, `${method} ${url}`);
  }
});

test('a join token may only ask for a certificate and read cluster-info; the anonymous user reads cluster-info and the version', () => {
  const cases: [string, string, boolean][] = [
    ['GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', true],
    ['GET', '/api/v1/namespaces/kube-public/configmaps/other', false],
    ['GET', '/api/v1/secrets', false],
    ['GET', '/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef', false],
    ['POST', '/api/v1/nodes', false],
    ['GET', '/version', true],
  ];
  for (const [method, url, ok] of cases) assert.equal(allowed(JOIN, method, url), ok, `${method} ${url}`);
  const csrs = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
  for (const [method, url, ok] of [['POST', csrs, true], ['GET', `${csrs}/csr-1`, true], ['GET', `${csrs}?watch=1`, true], ['DELETE', `${csrs}/csr-1`, false], ['PUT', `${csrs}/csr-1/approval`, false]] as const) {
    assert.equal(allowed(JOIN, method, url), ok, `${method} ${url}`);
  }
  const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
  assert.equal(allowed(ANONYMOUS, 'GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info'), true);
  assert.equal(allowed(ANONYMOUS, 'GET', '/api/v1/namespaces/kube-public/configmaps'), false);
  assert.equal(allowed(ANONYMOUS, 'GET', '/version'), true);
  assert.equal(allowed(ANONYMOUS, 'GET', '/api'), false);
  assert.equal(
    forbidden(JOIN, attributes('GET', '/api/v1/secrets')).message,
    'secrets is forbidden: User "system:bootstrap:abcdef" cannot list resource "secrets" in API group "" at the cluster scope',
  );
});

test('an authenticated user gets discovery and the self reviews; a service account only what its bindings grant', () => {
  assert.equal(allowed(OTHER, 'GET', '/apis'), true);
  assert.equal(env.authorizer.authorize(OTHER, reviewAttributes('POST', reviewRoute('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')!)).allowed, true);
  assert.equal(env.authorizer.authorize(OTHER, reviewAttributes('POST', reviewRoute('/apis/authorization.k8s.io/v1/subjectaccessreviews')!)).allowed, false);
  assert.equal(allowed(OTHER, 'GET', '/api/v1/nodes'), false);
  assert.equal(allowed(SA, 'GET', '/api/v1/namespaces/ns1/pods'), false);
  env.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'robot-view', namespace: 'ns1' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'robot' }],
  });
  assert.equal(allowed(SA, 'GET', '/api/v1/namespaces/ns1/pods'), true, 'a namespace-less service account subject is in the binding namespace');
  assert.equal(allowed(SA, 'GET', '/api/v1/namespaces/ns2/pods'), false);
  assert.equal(allowed(SA, 'GET', '/api/v1/namespaces/ns1/secrets'), false, 'view does not read secrets');
  assert.equal(allowed(SA, 'DELETE', '/api/v1/namespaces/ns1/pods/x'), false);
  const decision = env.authorizer.authorize(SA, attributes('GET', '/api/v1/namespaces/ns1/pods'));
  assert.equal(decision.reason, 'RBAC: allowed by RoleBinding "robot-view/ns1" of ClusterRole "view" to ServiceAccount "robot/ns1"');
});

test('rules match wildcards, subresources, resource names, non-resource URLs and groups', () => {
  env.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'mixed' },
    rules: [
      { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list'] },
      { apiGroups: ['*'], resources: ['cronjobs'], verbs: ['*'] },
      { nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] },
    ],
  });
  env.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'mixed' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'mixed' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'operators' }],
  });
  const op: UserInfo = { name: 'op', groups: ['operators', 'system:authenticated'] };
  const cases: [string, string, boolean][] = [
    ['PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', true],
    ['PUT', '/apis/apps/v1/namespaces/default/deployments/web', false],
    ['GET', '/api/v1/namespaces/default/configmaps/settings', true],
    ['GET', '/api/v1/namespaces/default/configmaps/other', false],
    ['GET', '/api/v1/namespaces/default/configmaps', false],
    ['GET', '/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dsettings', true],
    ['DELETE', '/apis/batch/v1/namespaces/default/cronjobs/x', true],
    ['GET', '/metrics', true],
    ['GET', '/logs/kube.log', true],
    ['POST', '/metrics', false],
  ];
  for (const [method, url, ok] of cases) assert.equal(allowed(op, method, url), ok, `${method} ${url}`);
  assert.equal(allowed({ name: 'op', groups: ['system:authenticated'] }, 'GET', '/metrics'), false, 'only members of the group');
});

test('aggregation: admin holds edit, edit holds view; a new labelled role joins them', async () => {
  const rules = (name: string) => JSON.stringify(env.clusterRoles.get(name)?.rules);
  for (const rule of env.clusterRoles.get('view')!.rules) assert.ok(rules('edit').includes(JSON.stringify(rule)));
  for (const rule of env.clusterRoles.get('edit')!.rules) assert.ok(rules('admin').includes(JSON.stringify(rule)));
  env.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
  });
  await until('admin to gather widgets through edit and view', () => rules('admin').includes('widgets'), 5000);
  assert.ok(rules('view').includes('widgets'));
});

test("Forbidden says who cannot do what where, in Kubernetes' words", () => {
  const cases: [string, string, string][] = [
    [
      'DELETE',
      '/apis/apps/v1/namespaces/default/deployments/web',
      'deployments.apps "web" is forbidden: User "system:bootstrap:abcdef" cannot delete resource "deployments" in API group "apps" in the namespace "default"',
    ],
    ['POST', '/api/v1/namespaces', 'namespaces is forbidden: User "system:bootstrap:abcdef" cannot create resource "namespaces" in API group "" at the cluster scope'],
    [
      'POST',
      '/api/v1/namespaces/default/pods/web/binding',
      'pods "web" is forbidden: User "system:bootstrap:abcdef" cannot create resource "pods/binding" in API group "" in the namespace "default"',
    ],
    ['GET', '/metrics', 'forbidden: User "system:bootstrap:abcdef" cannot get path "/metrics"'],
  ];
  for (const [method, url, message] of cases) {
    const err = forbidden(JOIN, attributes(method, url));
    assert.equal(err.message, message);
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
  }
  assert.deepEqual(forbidden(JOIN, attributes('DELETE', '/apis/apps/v1/namespaces/default/deployments/web')).toStatus().details, {
    name: 'web',
    group: 'apps',
    kind: 'deployments',
  });
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import type { UserInfo } from '../../src/apiserver/authorization/user.js';
import { uncoveredRules, compactRule } from '../../src/apiserver/authorization/rbac-rules.js';
import { authzRegistry } from '../helpers/authz-registry.js';
import { ApiError } from '../../src/api/errors.js';

const G = 'rbac.authorization.k8s.io';
const LEAD: UserInfo = { name: 'lead', groups: ['system:authenticated'] };

let env: Awaited<ReturnType<typeof authzRegistry>>;
before(async () => {
  env = await authzRegistry();
  // lead may manage RBAC in ns1 and holds edit there (admin's role and binding rights, edit's rules).
  env.create({ apiVersion: `${G}/v1`, kind: 'RoleBinding', metadata: { name: 'lead-admin', namespace: 'ns1' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', apiGroup: G, name: 'lead' }] });
});
after(() => env.done());

function role(name: string, rules: object[]): KubeObject {
  return { apiVersion: `${G}/v1`, kind: 'Role', metadata: { name, namespace: 'ns1' }, rules };
}

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    return err.message;
  }
  assert.fail('expected Forbidden');
}

test('covers: wildcards, subresources and names', () => {
  const owner = [{ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['*'] }, { verbs: ['*'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }];
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'] }]), []);
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['delete'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }]), []);
  assert.deepEqual(uncoveredRules(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]).map(compactRule), ['{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}']);
  assert.deepEqual(uncoveredRules([{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/logs/a', '/metrics'] }]).map(compactRule), ['{NonResourceURLs:["/metrics"], Verbs:["get"]}']);
});

test('a user may write a role only with rules it holds', () => {
  env.escalation.check(LEAD, 'Role', role('pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]), undefined);
  const message = refusal(() => env.escalation.check(LEAD, 'Role', role('node-admin', [{ apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['delete', 'get'] }]), undefined));
  assert.equal(
    message,
    'roles.rbac.authorization.k8s.io "node-admin" is forbidden: user "lead" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["delete" "get"]}',
  );
  refusal(() => env.escalation.check(LEAD, 'ClusterRole', { apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'x' }, rules: [] , aggregationRule: { clusterRoleSelectors: [{}] } }, undefined));
});

test('a user may bind a role only when it holds its rules or may bind it', () => {
  const binding = (name: string, kind: string, roleName: string): KubeObject => ({
    apiVersion: `${G}/v1`, kind: 'RoleBinding', metadata: { name, namespace: 'ns1' }, roleRef: { apiGroup: G, kind, name: roleName }, subjects: [{ kind: 'User', apiGroup: G, name: 'intern' }],
  });
  env.escalation.check(LEAD, 'RoleBinding', binding('intern-view', 'ClusterRole', 'view'), undefined);
  assert.match(refusal(() => env.escalation.check(LEAD, 'RoleBinding', binding('intern-admin', 'ClusterRole', 'cluster-admin'), undefined)), /is attempting to grant RBAC permissions not currently held/);
  assert.equal(
    refusal(() => env.escalation.check(LEAD, 'RoleBinding', binding('ghost', 'Role', 'nope'), undefined)),
    'rolebindings.rbac.authorization.k8s.io "ghost" is forbidden: roles.rbac.authorization.k8s.io "nope" not found',
  );
  env.create({ apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'binder' }, rules: [{ apiGroups: [G], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['cluster-admin'] }] });
  env.create({ apiVersion: `${G}/v1`, kind: 'RoleBinding', metadata: { name: 'lead-binder', namespace: 'ns1' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', apiGroup: G, name: 'lead' }] });
  env.escalation.check(LEAD, 'RoleBinding', binding('intern-admin', 'ClusterRole', 'cluster-admin'), undefined);
  env.escalation.check({ name: 'root', groups: ['system:masters'] }, 'ClusterRole', { apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'y' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }, undefined);
});

test('roleRef cannot change, and RBAC objects are validated as Kubernetes does', () => {
  const rb = env.create({ apiVersion: `${G}/v1`, kind: 'RoleBinding', metadata: { name: 'fixed', namespace: 'ns1' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'x' }] } as KubeObject);
  assert.equal(rb.roleRef.apiGroup, G, 'roleRef.apiGroup defaults');
  assert.equal(rb.subjects[0].apiGroup, G, "a User subject's apiGroup defaults");
  const r = (obj: KubeObject) => {
    try {
      env.registry.update(require_('RoleBinding'), 'ns1', 'fixed', obj);
    } catch (err) {
      return (err as Error).message;
    }
    return '';
  };
  assert.equal(
    r({ ...rb, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'edit' } }),
    'RoleBinding.rbac.authorization.k8s.io "fixed" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
  );
  const invalid = (obj: object) => {
    try {
      env.create(obj as KubeObject);
    } catch (err) {
      return (err as Error).message;
    }
    return '';
  };
  assert.match(invalid({ apiVersion: `${G}/v1`, kind: 'Role', metadata: { name: 'r', namespace: 'ns1' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }), /rules\[0\]\.nonResourceURLs: Invalid value: \[\]string\{"\/x"\}: namespaced rules cannot apply to non-resource URLs/);
  assert.match(invalid({ apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ verbs: ['get'], resources: ['pods'] }] }), /rules\[0\]\.apiGroups: Required value: resource rules must supply at least one api group/);
  assert.match(invalid({ apiVersion: `${G}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: G, kind: 'Role', name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] }), /roleRef\.kind: Unsupported value: "Role": supported values: "ClusterRole".*subjects\[0\]\.namespace: Required value/);
  assert.match(invalid({ apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'a/b' }, rules: [] }), /metadata\.name: Invalid value: "a\/b": may not contain '\/'/);
  assert.equal(invalid({ apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'system:thing' }, rules: [] }), '', 'colons are fine in RBAC names');
});

import { findByKind } from '../../src/api/resources.js';
function require_(kind: string) {
  return findByKind(kind)!;
}

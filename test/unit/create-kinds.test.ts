// What `kctl create configmap|secret|serviceaccount|role|clusterrole|rolebinding|
// clusterrolebinding|quota|priorityclass|poddisruptionbudget|cronjob` build; the expected text is
// what kubectl 1.32 prints for the same flags with --dry-run=client (-o json keeps Go's struct
// order, -o yaml sorts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../src/cli/errors.js';
import { withSaveConfig } from '../../src/cli/create-generated.js';
import { configMapFor } from '../../src/cli/generators/configmap.js';
import { configMapHash, encodeHash, secretHash } from '../../src/cli/generators/content-hash.js';
import { parseEnvFile, parseFileSource } from '../../src/cli/generators/data-sources.js';
import { cronJobFor } from '../../src/cli/generators/cronjob.js';
import { podDisruptionBudgetFor, parseToLabelSelector } from '../../src/cli/generators/pod-disruption-budget.js';
import { priorityClassFor } from '../../src/cli/generators/priority-class.js';
import { quotaFor } from '../../src/cli/generators/quota.js';
import { clusterRoleBindingFor, clusterRoleFor, roleBindingFor, roleFor, type ResourceMapper } from '../../src/cli/generators/rbac.js';
import { dockerConfigJson, dockerRegistrySecretFor, genericSecretFor } from '../../src/cli/generators/secret.js';
import { serviceAccountFor } from '../../src/cli/generators/typed-object.js';
import { toJson, toYaml } from '../../src/api/printers/yaml-json.js';

const cliError = (message: string) => (err: unknown) => {
  assert.ok(err instanceof CliError, String(err));
  assert.equal(err.message, message);
  return true;
};

const dir = mkdtempSync(join(tmpdir(), 'kctl-create-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'f.txt'), 'v');
mkdirSync(join(dir, 'd'));
writeFileSync(join(dir, 'd', 'one'), 'x\n');
writeFileSync(join(dir, 'd', 'two.txt'), 'y\n');
mkdirSync(join(dir, 'd', 'sub'));
writeFileSync(join(dir, 'bin'), Buffer.from([0xff, 0xfe, 0x00]));
writeFileSync(join(dir, 'e.env'), '\uFEFFA=1\n# comment\n\n  B=two words\n');

const data = { fromFile: [] as string[], fromLiteral: [] as string[], fromEnvFile: [] as string[], appendHash: false };

test('configmap: files (a directory gives its regular files), then literals; struct-ordered JSON as kubectl prints it', () => {
  const cm = configMapFor({ ...data, name: 'c', fromFile: [join(dir, 'd'), `k=${join(dir, 'f.txt')}`], fromLiteral: ['x=y=z'] });
  assert.equal(
    toJson(cm, false),
    '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "c",\n        "creationTimestamp": null\n    },\n' +
      '    "data": {\n        "k": "v",\n        "one": "x\\n",\n        "two.txt": "y\\n",\n        "x": "y=z"\n    }\n}\n',
  );
  assert.equal(toYaml(cm), 'apiVersion: v1\ndata:\n  k: v\n  one: |\n    x\n  two.txt: |\n    y\n  x: y=z\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: c\n');
});

test('configmap: bytes that are not UTF-8 go to binaryData; env files; the namespace only when given', () => {
  const cm = configMapFor({ ...data, name: 'c', namespace: 'foo', fromFile: [join(dir, 'bin')] });
  assert.deepEqual(cm.binaryData, { bin: '//4A' });
  assert.equal(cm.data, undefined);
  assert.equal(cm.metadata.namespace, 'foo');
  assert.deepEqual(configMapFor({ ...data, name: 'c', fromEnvFile: [join(dir, 'e.env')] }).data, { A: '1', B: 'two words' });
});

test("configmap: kubectl's errors for bad sources", () => {
  assert.throws(() => configMapFor({ ...data, name: 'c', fromEnvFile: ['x'], fromLiteral: ['a=b'] }), cliError('from-env-file cannot be combined with from-file or from-literal'));
  assert.throws(() => configMapFor({ ...data, name: 'c3', fromLiteral: ['a=b', 'a=c'] }), cliError('cannot add key "a", another key by that name already exists in Data for ConfigMap "c3"'));
  assert.throws(() => configMapFor({ ...data, name: 'c', fromLiteral: ['a'] }), cliError('invalid literal source a, expected key=value'));
  assert.throws(() => configMapFor({ ...data, name: 'c', fromFile: [join(dir, 'nonexist')] }), cliError(`error reading ${join(dir, 'nonexist')}: no such file or directory`));
  assert.throws(() => configMapFor({ ...data, name: 'c', fromFile: [`k=${join(dir, 'd')}`] }), cliError('cannot give a key name for a directory path'));
  assert.throws(
    () => configMapFor({ ...data, name: 'c', fromFile: [`bad/key=${join(dir, 'f.txt')}`] }),
    cliError(
      `"bad/key" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ),
  );
  assert.throws(() => parseEnvFile('1X=2\n'), /"1X" is not a valid key name: a valid environment variable name/);
  assert.deepEqual(parseFileSource('/a/b/c.txt'), ['c.txt', '/a/b/c.txt']);
  assert.throws(() => parseFileSource('=x'), cliError('key name for file path x missing'));
});

test('--append-hash: the content hash kubectl appends (same content, same suffix; kubectl 1.32 gives these)', () => {
  assert.equal(configMapFor({ ...data, name: 'c', fromLiteral: ['a=b'], appendHash: true }).metadata.name, 'c-m4h6ctkgb2');
  assert.equal(
    genericSecretFor({ ...data, name: 's', type: 'foo', fromLiteral: ['a=b'], fromFile: [`k=${join(dir, 'f.txt')}`], appendHash: true }).metadata.name,
    's-7bk5t5ht8c',
  );
  assert.equal(encodeHash('0123456789abcdef'), 'gh2k456789');
  assert.notEqual(configMapHash({ metadata: { name: 'x' }, data: { a: '1' } }), configMapHash({ metadata: { name: 'x' }, data: { a: '2' } }));
  assert.notEqual(secretHash({ metadata: { name: 'x' }, data: {} }), secretHash({ metadata: { name: 'x' }, type: 'Opaque', data: {} }));
});

test('secret generic: base64 data, the type only when given; docker-registry: the .dockerconfigjson kubectl writes', () => {
  const s = genericSecretFor({ ...data, name: 's', type: '', fromLiteral: ['a=b'], fromFile: [`k=${join(dir, 'f.txt')}`] });
  assert.deepEqual(s, { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', creationTimestamp: null }, data: { a: 'Yg==', k: 'dg==' } });
  assert.throws(
    () => genericSecretFor({ ...data, name: 's', type: '', fromLiteral: ['k=1'], fromFile: [`k=${join(dir, 'f.txt')}`] }),
    cliError('cannot add key k, another key by that name already exists'),
  );
  assert.equal(dockerConfigJson('reg.io', 'u', 'p', 'e@x'), '{"auths":{"reg.io":{"username":"u","password":"p","email":"e@x","auth":"dTpw"}}}');
  const d = dockerRegistrySecretFor({ name: 'r', server: 'reg.io', username: 'u', password: 'p', email: 'e@x', fromFile: [], appendHash: false });
  assert.equal(d.type, 'kubernetes.io/dockerconfigjson');
  assert.equal(d.data['.dockerconfigjson'], 'eyJhdXRocyI6eyJyZWcuaW8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiZW1haWwiOiJlQHgiLCJhdXRoIjoiZFRwdyJ9fX0=');
  assert.throws(
    () => dockerRegistrySecretFor({ name: 'r', server: 'reg.io', fromFile: [], appendHash: false }),
    cliError('either --from-file or the combination of --docker-username, --docker-password and --docker-server is required'),
  );
});

test('--save-config: the object as built, without the annotation, in struct order with a newline', () => {
  const saved = withSaveConfig(serviceAccountFor('sa', 'x'));
  assert.equal(
    saved.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'],
    '{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"sa","namespace":"x","creationTimestamp":null}}\n',
  );
});

const mapper: ResourceMapper = (resource, group) => {
  const known: Record<string, [string, string]> = { pods: ['pods', ''], po: ['pods', ''], rs: ['replicasets', 'apps'], deployments: ['deployments', 'apps'], nodes: ['nodes', ''] };
  const hit = known[resource];
  return hit && (!group || group === hit[1]) ? { resource: hit[0], group: hit[1] } : undefined;
};

test('role: one rule per group, groups sorted, resources mapped and in the order given, subresources kept', () => {
  const { obj, warnings } = roleFor('r', undefined, { verbs: ['get', 'list', 'get'], resources: ['pods', 'rs', 'deployments.apps', 'po/log'], resourceNames: ['a', 'a'] }, mapper);
  assert.deepEqual(warnings, []);
  assert.deepEqual(obj.rules, [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['a'] },
    { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['replicasets', 'deployments'], resourceNames: ['a'] },
  ]);
  assert.deepEqual(roleFor('r', 'ns', { verbs: ['get', '*'], resources: ['*', 'pods'], resourceNames: [] }, mapper).obj.rules, [{ verbs: ['*'], apiGroups: [''], resources: ['*'] }]);
  assert.deepEqual(roleFor('r', undefined, { verbs: ['get', 'frob'], resources: ['pods'], resourceNames: [] }, mapper).warnings, ["Warning: 'frob' is not a standard resource verb"]);
});

test("role and clusterrole: kubectl's checks", () => {
  assert.throws(() => roleFor('r', undefined, { verbs: [], resources: ['pods'], resourceNames: [] }, mapper), cliError('at least one verb must be specified'));
  assert.throws(() => roleFor('r', undefined, { verbs: ['get'], resources: [], resourceNames: [] }, mapper), cliError('at least one resource must be specified'));
  assert.throws(() => roleFor('r', undefined, { verbs: ['get'], resources: ['foo'], resourceNames: [] }, mapper), cliError('the server doesn\'t have a resource type "foo"'));
  assert.throws(() => roleFor('r', undefined, { verbs: ['bind'], resources: ['pods'], resourceNames: [] }, mapper), cliError("can not perform 'bind' on 'pods' in group ''"));
  const none = { verbs: [], resources: [], resourceNames: [], nonResourceURLs: [], aggregationRule: {} };
  assert.throws(() => clusterRoleFor('c', { ...none, verbs: ['get'] }, mapper), cliError('one of resource or nonResourceURL must be specified'));
  assert.throws(() => clusterRoleFor('c', { ...none, verbs: ['list'], nonResourceURLs: ['/x'] }, mapper), cliError("invalid verb: 'list' for nonResourceURL"));
  assert.throws(() => clusterRoleFor('c', { ...none, verbs: ['get'], nonResourceURLs: ['x'] }, mapper), cliError('nonResourceURL should start with /'));
  assert.throws(() => clusterRoleFor('c', { ...none, verbs: ['get'], nonResourceURLs: ['/a*/b'] }, mapper), cliError("nonResourceURL only supports wildcard matches when '*' is at the end"));
  assert.throws(
    () => clusterRoleFor('c', { ...none, verbs: ['get'], aggregationRule: { a: 'b' } }, mapper),
    cliError('aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames'),
  );
});

test('clusterrole: resource and non-resource rules, or an aggregation rule with null rules', () => {
  const none = { verbs: [], resources: [], resourceNames: [], nonResourceURLs: [], aggregationRule: {} };
  assert.deepEqual(clusterRoleFor('c', { ...none, verbs: ['get'], resources: ['nodes'], nonResourceURLs: ['/logs/*'] }, mapper).obj.rules, [
    { verbs: ['get'], apiGroups: [''], resources: ['nodes'] },
    { verbs: ['get'], nonResourceURLs: ['/logs/*'] },
  ]);
  const aggregated = clusterRoleFor('c', { ...none, aggregationRule: { c: 'd', a: 'b' } }, mapper).obj;
  assert.equal(toJson(aggregated, false).includes('"rules": null,\n    "aggregationRule": {\n        "clusterRoleSelectors": [\n            {\n                "matchLabels": {\n                    "a": "b",\n                    "c": "d"'), true);
});

test('bindings: users, groups, then service accounts; roleRef; the flag checks', () => {
  const rb = roleBindingFor('rb', undefined, { role: 'r', users: ['u'], groups: ['g'], serviceAccounts: ['ns:sa'] });
  assert.deepEqual(rb.subjects, [
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' },
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
  ]);
  assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
  assert.equal(roleBindingFor('rb', undefined, { clusterRole: 'view', users: [], groups: [], serviceAccounts: [] }).subjects, undefined);
  assert.throws(() => roleBindingFor('rb', undefined, { users: [], groups: [], serviceAccounts: [] }), cliError('exactly one of clusterrole or role must be specified'));
  assert.throws(() => roleBindingFor('rb', undefined, { role: 'r', users: [], groups: [], serviceAccounts: ['bad'] }), cliError('serviceaccount must be <namespace>:<name>'));
  assert.throws(() => clusterRoleBindingFor('c', { users: [], groups: [], serviceAccounts: [] }), cliError('required flag(s) "clusterrole" not set'));
  assert.equal(clusterRoleBindingFor('c', { clusterRole: 'view', users: [], groups: [], serviceAccounts: [] }).kind, 'ClusterRoleBinding');
});

test('quota: canonical quantities, scopes, the empty spec and status', () => {
  assert.equal(
    toYaml(quotaFor('q', undefined, 'cpu=1000m,pods=2,memory=1Gi', 'BestEffort')),
    'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  creationTimestamp: null\n  name: q\nspec:\n  hard:\n    cpu: "1"\n    memory: 1Gi\n    pods: "2"\n  scopes:\n  - BestEffort\nstatus: {}\n',
  );
  assert.deepEqual(quotaFor('q', undefined, '', '').spec, {});
  assert.throws(() => quotaFor('q', undefined, 'cpu', ''), cliError('Invalid argument syntax cpu, expected <resource>=<value>'));
  assert.throws(() => quotaFor('q', undefined, 'cpu=x', ''), cliError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
});

test('priorityclass and poddisruptionbudget as kubectl builds them', () => {
  assert.equal(
    toJson(priorityClassFor('p', { value: 0, globalDefault: true, description: '', preemptionPolicy: 'PreemptLowerPriority' }), false),
    '{\n    "kind": "PriorityClass",\n    "apiVersion": "scheduling.k8s.io/v1",\n    "metadata": {\n        "name": "p",\n        "creationTimestamp": null\n    },\n' +
      '    "value": 0,\n    "globalDefault": true,\n    "preemptionPolicy": "PreemptLowerPriority"\n}\n',
  );
  const pdb = podDisruptionBudgetFor('p', undefined, { selector: 'app=a', minAvailable: '50%', maxUnavailable: '' });
  assert.equal(
    toYaml(pdb),
    'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  creationTimestamp: null\n  name: p\nspec:\n  minAvailable: 50%\n  selector:\n    matchLabels:\n      app: a\n' +
      'status:\n  currentHealthy: 0\n  desiredHealthy: 0\n  disruptionsAllowed: 0\n  expectedPods: 0\n',
  );
  assert.equal(podDisruptionBudgetFor('p', undefined, { selector: 'a=b', minAvailable: '', maxUnavailable: '1' }).spec.maxUnavailable, 1);
  assert.deepEqual(parseToLabelSelector('tier in (x,y),!canary,app=a'), {
    matchLabels: { app: 'a' },
    matchExpressions: [
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'tier', operator: 'In', values: ['x', 'y'] },
    ],
  });
  assert.throws(() => podDisruptionBudgetFor('p', undefined, { selector: '', minAvailable: '1', maxUnavailable: '' }), cliError('a selector must be specified'));
  assert.throws(() => podDisruptionBudgetFor('p', undefined, { selector: 'a=b', minAvailable: '', maxUnavailable: '' }), cliError('one of min-available or max-unavailable must be specified'));
  assert.throws(() => podDisruptionBudgetFor('p', undefined, { selector: 'a=b', minAvailable: '1', maxUnavailable: '1' }), cliError('min-available and max-unavailable cannot be both specified'));
  assert.throws(() => podDisruptionBudgetFor('p', undefined, { selector: 'a=b', minAvailable: '1Gi', maxUnavailable: '' }), cliError('invalid format specified for min-available'));
});

test('cronjob: the job template named after it, one container, the command', () => {
  assert.equal(
    toYaml(cronJobFor('cj', 'ns', { image: 'busybox', schedule: '*/1 * * * *', restart: 'OnFailure', command: ['date', '-u'] })),
    'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  creationTimestamp: null\n  name: cj\n  namespace: ns\nspec:\n  jobTemplate:\n    metadata:\n      creationTimestamp: null\n      name: cj\n' +
      '    spec:\n      template:\n        metadata:\n          creationTimestamp: null\n        spec:\n          containers:\n          - command:\n            - date\n            - -u\n' +
      "            image: busybox\n            name: cj\n            resources: {}\n          restartPolicy: OnFailure\n  schedule: '*/1 * * * *'\nstatus: {}\n",
  );
});

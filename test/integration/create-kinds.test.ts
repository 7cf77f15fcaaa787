// kctl create configmap|secret|serviceaccount|role|...|cronjob against a control plane: with
// --dry-run=client the text is byte for byte what the real kubectl prints for the same flags;
// without, the objects are stored; kinds this server does not serve yet fail with its 404.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';

describe('create kinds', () => {
  const c = new TestCluster();
  const dir = join(c.home, 'data');

  before(async () => {
    await c.up([]);
    mkdirSync(join(dir, 'd'), { recursive: true });
    writeFileSync(join(dir, 'f.txt'), 'v');
    writeFileSync(join(dir, 'd', 'one'), 'x\n');
    writeFileSync(join(dir, 'e.env'), 'A=1\n# c\nB=two words\n');
  });
  after(async () => {
    await c.down();
  });

  const generators = () => [
    ['configmap', 'c', `--from-file=${join(dir, 'd')}`, `--from-file=k=${join(dir, 'f.txt')}`, '--from-literal=x=y', '--save-config'],
    ['configmap', 'c', `--from-env-file=${join(dir, 'e.env')}`, '-n', 'other', '--append-hash'],
    ['secret', 'generic', 's', '--from-literal=a=b', '--type=foo'],
    ['secret', 'docker-registry', 'r', '--docker-username=u', '--docker-password=p', '--docker-email=e@x'],
    ['serviceaccount', 'sa', '--save-config'],
    ['quota', 'q', '--hard=cpu=1000m,pods=2', '--scopes=BestEffort'],
    ['priorityclass', 'p', '--value=10', '--description=d'],
    ['poddisruptionbudget', 'pdb', '--selector=app=a,tier in (x)', '--min-available=50%'],
    ['cronjob', 'cj', '--image=busybox', '--schedule=@daily'],
    ['role', 'r', '--verb=get,list', '--resource=pods,rs,deployments.apps,pods/log'],
    ['clusterrole', 'cr', '--verb=get', '--resource=nodes', '--non-resource-url=/logs/*'],
    ['clusterrole', 'agg', '--aggregation-rule=a=b'],
    ['rolebinding', 'rb', '--role=r', '--user=u', '--serviceaccount=ns:sa'],
    ['clusterrolebinding', 'crb', '--clusterrole=view', '--group=g'],
  ];

  test('--dry-run=client prints what kubectl prints, in yaml and json', { skip: !kubectlAvailable() && 'kubectl is not installed' }, async () => {
    for (const args of generators()) {
      for (const output of ['yaml', 'json']) {
        const full = ['create', ...args, '--dry-run=client', '-o', output];
        const [ours, theirs] = await Promise.all([c.kctl(full), c.kubectl(full)]);
        assert.equal(theirs.code, 0, `kubectl ${full.join(' ')}: ${theirs.stderr}`);
        assert.equal(ours.stderr, theirs.stderr, full.join(' '));
        assert.equal(ours.stdout, theirs.stdout, full.join(' '));
      }
    }
  });

  test('the served kinds are stored; --dry-run=server stores nothing; a second create fails as kubectl says', async () => {
    const cm = await c.kctl(['create', 'configmap', 'cm1', '--from-literal=a=b', '--save-config']);
    assert.equal(cm.stdout, 'configmap/cm1 created\n', cm.stderr);
    const stored = (await c.api('GET', '/api/v1/namespaces/default/configmaps/cm1')).body;
    assert.deepEqual(stored.data, { a: 'b' });
    assert.match(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /^\{"kind":"ConfigMap","apiVersion":"v1"/);
    assert.equal((await c.kctl(['create', 'secret', 'generic', 's1', '--from-literal=k=v'])).stdout, 'secret/s1 created\n');
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/secrets/s1')).body.data.k, 'dg==');
    assert.equal((await c.kctl(['create', 'sa', 'robot'])).stdout, 'serviceaccount/robot created\n');
    assert.equal((await c.kctl(['create', 'cj', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'])).stdout, 'cronjob.batch/tick created\n');
    assert.deepEqual((await c.api('GET', '/apis/batch/v1/namespaces/default/cronjobs/tick')).body.spec.jobTemplate.spec.template.spec.containers[0].command, ['date']);
    const dry = await c.kctl(['create', 'configmap', 'cm2', '--from-literal=a=b', '--dry-run=server', '-o', 'name']);
    assert.equal(dry.stdout, 'configmap/cm2\n', dry.stderr);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/cm2')).status, 404);
    const again = await c.kctl(['create', 'configmap', 'cm1', '--from-literal=a=b']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'error: failed to create configmap: configmaps "cm1" already exists\n');
  });

  test('a kind the server does not serve fails with its 404, worded as kubectl words it', async () => {
    const served = new Set((await c.api('GET', '/apis')).body.groups.map((g: any) => g.name));
    const cases: [string[], string, string][] = [
      [['quota', 'q', '--hard=pods=1'], '', 'error: failed to create quota: the server could not find the requested resource\n'],
      [['priorityclass', 'p'], 'scheduling.k8s.io', 'error: failed to create priorityclass: the server could not find the requested resource\n'],
      [['pdb', 'p', '--selector=a=b', '--min-available=1'], 'policy', 'error: failed to create poddisruptionbudgets: the server could not find the requested resource\n'],
      [['clusterrolebinding', 'b', '--clusterrole=view'], 'rbac.authorization.k8s.io', 'error: failed to create clusterrolebinding: the server could not find the requested resource\n'],
    ];
    for (const [args, group, message] of cases) {
      const served404 = group ? !served.has(group) : (await c.api('GET', '/api/v1/namespaces/default/resourcequotas')).status === 404;
      if (!served404) continue;
      const r = await c.kctl(['create', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, message);
    }
    const unknown = await c.kctl(['create', 'role', 'r', '--verb=get', '--resource=frobs']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'the server doesn\'t have a resource type "frobs"\n');
  });
});

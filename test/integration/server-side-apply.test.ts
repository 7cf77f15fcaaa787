// Server-side apply and managedFields against a control plane (no nodes), driven by the real
// kubectl: `apply --server-side` creating and updating, conflicts with another manager and
// --force-conflicts, fields dropped from the manifest, the switch from client-side apply, and the
// managers the server records for writes that name none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, kubectlAvailable } from '../helpers/test-cluster.js';

interface Manifest {
  name: string;
  replicas?: number;
  image?: string;
  extraLabel?: boolean;
  env?: boolean;
}

// The YAML a user applies, written out: which fields it holds is what server-side apply tracks.
function deploymentYaml(m: Manifest): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${m.name}
  labels:
    app: ${m.name}
${m.extraLabel ? '    tier: web\n' : ''}spec:
${m.replicas !== undefined ? `  replicas: ${m.replicas}\n` : ''}  selector:
    matchLabels: {app: ${m.name}}
  template:
    metadata:
      labels: {app: ${m.name}}
    spec:
      containers:
      - name: nginx
        image: ${m.image ?? 'nginx:1'}
        ports: [{containerPort: 80}]
${m.env ? '        env: [{name: MODE, value: fast}]\n' : ''}`;
}

const managers = (obj: any) => (obj.metadata.managedFields ?? []).map((e: any) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

describe('server-side apply', { skip: !kubectlAvailable() && 'kubectl is not installed' }, () => {
  const c = new TestCluster();
  const scratch = mkdtempSync(join(tmpdir(), 'kctl-ssa-'));
  const file = (m: Manifest) => {
    const p = join(scratch, `${m.name}.yaml`);
    writeFileSync(p, deploymentYaml(m));
    return p;
  };
  const get = async (name: string) => (await c.api('GET', `/apis/apps/v1/namespaces/default/deployments/${name}`)).body;
  // kubectl 1.32 validates against /openapi/v2 on the client side; the object is validated by the server anyway.
  const apply = (path: string, ...flags: string[]) => c.kubectl(['apply', '--server-side', '--validate=false', '-f', path, ...flags]);

  before(async () => {
    await c.up();
  });
  after(async () => {
    await c.down();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('apply --server-side creates, then updates, with an Apply entry owning exactly the manifest', async () => {
    const created = await apply(file({ name: 'web', replicas: 2 }));
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'deployment.apps/web serverside-applied\n');
    const dep = await get('web');
    assert.equal(dep.spec.replicas, 2);
    const entry = dep.metadata.managedFields.find((e: any) => e.manager === 'kubectl');
    assert.equal(entry.operation, 'Apply');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.deepEqual(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers'], {
      'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
    });
    assert.ok(!('f:strategy' in entry.fieldsV1['f:spec']), 'defaults are not the applier’s');
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const updated = await apply(file({ name: 'web', replicas: 2, image: 'nginx:2' }));
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal((await get('web')).spec.template.spec.containers[0].image, 'nginx:2');
    // kubectl hides managedFields unless asked; the server sends them.
    const yaml = await c.kubectl(['get', 'deploy', 'web', '-o', 'yaml']);
    assert.doesNotMatch(yaml.stdout, /managedFields/);
    const shown = await c.kubectl(['get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields']);
    assert.match(shown.stdout, /manager: kubectl\n\s+operation: Apply/);
    // kctl prints as kubectl does.
    assert.doesNotMatch((await c.kctl(['get', 'deploy', 'web', '-o', 'yaml'])).stdout, /managedFields/);
    assert.match((await c.kctl(['get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields'])).stdout, /manager: kubectl\n\s+operation: Apply/);
  });

  test('the controllers write under kube-controller-manager, status through the status subresource', async () => {
    let dep = await get('web');
    for (let i = 0; i < 50 && !managers(dep).includes('kube-controller-manager/Update/status'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      dep = await get('web');
    }
    assert.ok(managers(dep).includes('kube-controller-manager/Update/status'), managers(dep).join(' '));
    const status = dep.metadata.managedFields.find((e: any) => e.subresource === 'status');
    assert.ok(status.fieldsV1['f:status']['f:conditions'], 'conditions owned by the controller');
    assert.ok(!('f:spec' in status.fieldsV1));
  });

  test('kubectl scale takes replicas; applying another count is a conflict kubectl reports; --force-conflicts takes it back', async () => {
    const scaled = await c.kubectl(['scale', 'deployment/web', '--replicas=5']);
    assert.equal(scaled.code, 0, scaled.stderr);
    const conflict = await apply(file({ name: 'web', replicas: 3, image: 'nginx:2' }));
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas\n/);
    assert.match(conflict.stderr, /--force-conflicts/);
    assert.equal((await get('web')).spec.replicas, 5, 'nothing changed');

    const forced = await apply(file({ name: 'web', replicas: 3, image: 'nginx:2' }), '--force-conflicts');
    assert.equal(forced.code, 0, forced.stderr);
    const dep = await get('web');
    assert.equal(dep.spec.replicas, 3);
    assert.ok(!managers(dep).includes('kubectl/Update/scale'), 'the scale manager owned only replicas and lost it');
  });

  test('a second field manager: the same value is shared, a different one conflicts naming the field and its manager', async () => {
    const same = await apply(file({ name: 'web', replicas: 3, image: 'nginx:2' }), '--field-manager=deployer');
    assert.equal(same.code, 0, same.stderr);
    const other = await apply(file({ name: 'web', replicas: 3, image: 'nginx:3' }), '--field-manager=deployer');
    assert.equal(other.code, 1);
    assert.match(other.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.template\.spec\.containers\[name="nginx"\]\.image/);
    const raw = await c.api('PATCH', '/apis/apps/v1/namespaces/default/deployments/web?fieldManager=deployer', deploymentJSON('web', 'nginx:3'), {
      'Content-Type': 'application/apply-patch+yaml',
    });
    assert.equal(raw.status, 409);
    assert.equal(raw.body.reason, 'Conflict');
    assert.deepEqual(raw.body.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.template.spec.containers[name="nginx"].image' }]);
  });

  test('an apply through /status owns only status and is recorded with subresource status', async () => {
    const status = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { paused: true }, status: { observedGeneration: 99 } };
    const r = await c.api('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/status?fieldManager=status-writer&force=true', status, {
      'Content-Type': 'application/apply-patch+yaml',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.status.observedGeneration, 99);
    assert.equal(r.body.spec.paused, undefined, 'spec is not written through /status');
    const entry = r.body.metadata.managedFields.find((e: any) => e.manager === 'status-writer');
    assert.deepEqual([entry.operation, entry.subresource, entry.fieldsV1], ['Apply', 'status', { 'f:status': { 'f:observedGeneration': {} } }]);
  });

  test('fields the manager applied before and leaves out now are removed', async () => {
    assert.equal((await apply(file({ name: 'drop', replicas: 1, extraLabel: true, env: true }))).code, 0);
    let dep = await get('drop');
    assert.equal(dep.metadata.labels.tier, 'web');
    assert.deepEqual(dep.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'fast' }]);
    const r = await apply(file({ name: 'drop', replicas: 1 }));
    assert.equal(r.code, 0, r.stderr);
    dep = await get('drop');
    assert.equal(dep.metadata.labels.tier, undefined);
    assert.equal(dep.spec.template.spec.containers[0].env, undefined);
    assert.equal(dep.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent', 'defaults stay');
  });

  test('switching from client-side apply: kubectl apply, then --server-side with a change, no conflict; kubectl migrates the managers', async () => {
    const csa = await c.kubectl(['apply', '--validate=false', '-f', file({ name: 'csa', replicas: 1 })]);
    assert.equal(csa.code, 0, csa.stderr);
    assert.ok(managers(await get('csa')).includes('kubectl-client-side-apply/Update'));
    const ssa = await apply(file({ name: 'csa', replicas: 2 }));
    assert.equal(ssa.code, 0, ssa.stderr);
    const dep = await get('csa');
    assert.equal(dep.spec.replicas, 2);
    assert.ok(managers(dep).includes('kubectl/Apply'));
    assert.ok(!managers(dep).includes('kubectl-client-side-apply/Update'), managers(dep).join(' '));
    assert.equal(JSON.parse(dep.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas, 2, 'the annotation follows');
  });

  test('the raw API: apply needs a fieldManager, creates with JSON too, force must be an apply; defaults and resets of managers', async () => {
    const path = '/api/v1/namespaces/default/configmaps/settings';
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } };
    const noManager = await c.api('PATCH', path, body, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(noManager.status, 422);
    assert.equal(noManager.body.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const created = await c.api('PATCH', `${path}?fieldManager=tool`, body, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.metadata.managedFields[0].fieldsV1, { 'f:data': { 'f:a': {} } });
    const again = await c.api('PATCH', `${path}?fieldManager=tool`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {b: "2"}\n', {
      'Content-Type': 'application/apply-patch+yaml',
    });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body.data, { b: '2' }, 'a dropped, b added');
    const forced = await c.api('PATCH', `${path}?force=true`, { data: { c: '3' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(forced.status, 422);
    assert.match(forced.body.message, /force: Forbidden: may not be specified for non-apply patch/);

    // Without fieldManager a write is recorded under the user agent's product name.
    const patched = await c.api('PATCH', path, { data: { c: '3' } }, { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'python-requests/2.31 (x)' });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(managers(patched.body), ['tool/Apply', 'python-requests/Update']);
    const dry = await c.api('PATCH', '/api/v1/namespaces/default/configmaps/dry?fieldManager=tool&dryRun=All', { ...body, metadata: { name: 'dry' } }, {
      'Content-Type': 'application/apply-patch+yaml',
    });
    assert.equal(dry.status, 201, dry.text);
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404, 'a dry-run apply stores nothing');
    const reset = await c.api('PATCH', path, { metadata: { managedFields: [{}] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.body.metadata.managedFields, undefined, 'managedFields cleared');
  });

  test('kctl apply --server-side: creates, conflicts as kubectl reports them, forces, and moves off client-side apply', async () => {
    const first = await c.kctl(['apply', '-f', file({ name: 'kapp', replicas: 1 })]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(managers(await get('kapp')).includes('kubectl-client-side-apply/Update'), 'client-side apply by kctl is recorded as kubectl’s');
    const ssa = await c.kctl(['apply', '--server-side', '-f', file({ name: 'kapp', replicas: 2 })]);
    assert.equal(ssa.code, 0, ssa.stderr);
    assert.equal(ssa.stdout, 'deployment.apps/kapp serverside-applied\n');
    let dep = await get('kapp');
    assert.equal(dep.spec.replicas, 2);
    assert.deepEqual(managers(dep).filter((x: string) => x.startsWith('kubectl')), ['kubectl/Apply']);
    assert.equal((await c.kctl(['scale', 'deployment/kapp', '--replicas=4'])).code, 0);
    const conflict = await c.kctl(['apply', '--server-side', '-f', file({ name: 'kapp', replicas: 3 })]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "[^"]+"( with subresource "scale")? using apps\/v1: \.spec\.replicas\nPlease review the fields above/);
    const forced = await c.kctl(['apply', '--server-side', '--force-conflicts', '-f', file({ name: 'kapp', replicas: 3 })]);
    assert.equal(forced.code, 0, forced.stderr);
    dep = await get('kapp');
    assert.equal(dep.spec.replicas, 3);
    const dropped = await c.kctl(['apply', '--server-side', '-f', file({ name: 'kapp' })]);
    assert.equal(dropped.code, 0, dropped.stderr);
    assert.equal((await get('kapp')).spec.replicas, 1, 'replicas left the manifest: removed, and defaulted again');
  });

  test('kubectl create records kubectl-create as an Update', async () => {
    const manifest = join(scratch, 'made.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: made}\ndata: {k: v}\n');
    const r = await c.kubectl(['create', '--validate=false', '-f', manifest]);
    assert.equal(r.code, 0, r.stderr);
    const cm = (await c.api('GET', '/api/v1/namespaces/default/configmaps/made')).body;
    assert.deepEqual(cm.metadata.managedFields.map((e: any) => [e.manager, e.operation, e.fieldsV1]), [['kubectl-create', 'Update', { 'f:data': { '.': {}, 'f:k': {} } }]]);
    // kctl's commands write under kubectl's manager names.
    assert.equal((await c.kctl(['label', 'configmap', 'made', 'team=a'])).code, 0);
    assert.equal((await c.kctl(['annotate', 'configmap', 'made', 'note=b'])).code, 0);
    const labelled = (await c.api('GET', '/api/v1/namespaces/default/configmaps/made')).body;
    for (const m of ['kubectl-create/Update', 'kubectl-label/Update', 'kubectl-annotate/Update']) assert.ok(managers(labelled).includes(m), `${m} in ${managers(labelled).join(' ')}`);
  });
});

function deploymentJSON(name: string, image: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { spec: { containers: [{ name: 'nginx', image }] } } },
  };
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from '../../src/api/managed-fields/field-set.js';
import { pathToString } from '../../src/api/managed-fields/path.js';
import { compare, merge, toFieldSet, typeOfKind } from '../../src/apiserver/registry/fieldmanager/typed.js';
import { applyConfiguration, managedFieldsAfterUpdate, type WriteTarget } from '../../src/apiserver/registry/fieldmanager/field-manager.js';
import { ApiError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/types.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const deployments = (now = T0, subresource?: string): WriteTarget => ({ kind: 'Deployment', apiVersion: 'apps/v1', statusIsSubresource: true, now, subresource });
const pods = (now = T0, subresource?: string): WriteTarget => ({ kind: 'Pod', apiVersion: 'v1', statusIsSubresource: true, now, subresource });

// The Deployment web with exactly this spec: its fields are what the managed fields record.
function webDeployment(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...meta }, spec } as KubeObject;
}

const template = (containers: unknown[]) => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });

test('fieldsV1 round-trips in Kubernetes encoding: f:, k: with sorted key fields, v:, and "." for a member with members below', () => {
  const fields = {
    'f:metadata': { 'f:finalizers': { '.': {}, 'v:"a"': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:containers': {
        'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
      },
      'f:replicas': {},
    },
  };
  const set = FieldSet.fromFieldsV1(fields);
  assert.deepEqual(set.toFieldsV1(), fields);
  assert.equal(JSON.stringify(set.toFieldsV1()), JSON.stringify(fields), 'keys in structured-merge-diff order');
  assert.ok(set.has([{ field: 'spec' }, { field: 'containers' }, { key: [['name', 'web']] }]));
  assert.ok(!set.has([{ field: 'spec' }, { field: 'containers' }]), 'containers itself is not a member');
});

test('paths print as in Kubernetes conflict messages', () => {
  assert.equal(
    pathToString([{ field: 'spec' }, { field: 'ports' }, { key: [['port', 80], ['protocol', 'TCP']] }, { field: 'targetPort' }]),
    '.spec.ports[port=80,protocol="TCP"].targetPort',
  );
  assert.equal(pathToString([{ field: 'metadata' }, { field: 'finalizers' }, { value: 'x' }]), '.metadata.finalizers[=x]'.replace('=x', '="x"'));
});

test('a create records every set field under the manager, as kubectl create deployment shows', () => {
  const obj = webDeployment(
    { replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate' }, template: template([{ name: 'nginx', image: 'nginx', resources: {} }]) },
    { labels: { app: 'web' } },
  );
  const mf = managedFieldsAfterUpdate(deployments(), undefined, obj, 'kubectl-create')!;
  assert.equal(mf.length, 1);
  assert.deepEqual(mf[0], {
    manager: 'kubectl-create',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: T0,
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:strategy': { 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } },
        },
      },
    },
  });
});

test('an update moves changed fields to the updater, keeps the rest, and a no-op touches nothing', () => {
  const v1 = webDeployment({ replicas: 1, template: template([{ name: 'nginx', image: 'nginx' }]) });
  v1.metadata.managedFields = managedFieldsAfterUpdate(deployments(), undefined, v1, 'kubectl-create');
  const v2 = structuredClone(v1);
  v2.spec!.replicas = 3;
  v2.metadata.managedFields = managedFieldsAfterUpdate(deployments(T1, 'scale'), v1, v2, 'kubectl');
  const [create, scale] = v2.metadata.managedFields!;
  assert.equal((create as any).manager, 'kubectl-create');
  assert.ok(!('f:replicas' in (create as any).fieldsV1['f:spec']), 'replicas left kubectl-create');
  assert.deepEqual(scale, { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } }, subresource: 'scale' });
  assert.deepEqual(managedFieldsAfterUpdate(deployments(T1), v2, structuredClone(v2), 'other'), v2.metadata.managedFields);
});

test('status writes are recorded with subresource status and only own status; the object itself never owns status', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: {} } as KubeObject;
  pod.metadata.managedFields = managedFieldsAfterUpdate(pods(), undefined, pod, 'kctl');
  const next = structuredClone(pod);
  next.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] };
  const mf = managedFieldsAfterUpdate(pods(T1, 'status'), pod, next, 'kubelet')!;
  assert.deepEqual(mf[1], {
    manager: 'kubelet',
    operation: 'Update',
    apiVersion: 'v1',
    time: T1,
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:status': {
        'f:conditions': { '.': {}, 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } },
        'f:phase': {},
        'f:podIPs': { '.': {}, 'k:{"ip":"10.0.0.1"}': { '.': {}, 'f:ip': {} } },
      },
    },
    subresource: 'status',
  });
  const viaMain = managedFieldsAfterUpdate(pods(T1), pod, next, 'someone');
  assert.deepEqual(viaMain, pod.metadata.managedFields, 'status through the main resource is nobody’s');
});

test('managedFields sent by the client replace the stored ones; [] and [{}] clear them; garbage is ignored', () => {
  const v1 = webDeployment({ replicas: 1 });
  v1.metadata.managedFields = managedFieldsAfterUpdate(deployments(), undefined, v1, 'a');
  const cleared = { ...structuredClone(v1), metadata: { ...v1.metadata, managedFields: [] } };
  assert.equal(managedFieldsAfterUpdate(deployments(T1), v1, cleared, 'b'), undefined);
  assert.equal(managedFieldsAfterUpdate(deployments(T1), v1, { ...cleared, metadata: { ...cleared.metadata, managedFields: [{}] } }, 'b'), undefined);
  const garbage = { ...structuredClone(v1), metadata: { ...v1.metadata, managedFields: [{ manager: 'x', operation: 'Delete' }] } };
  assert.deepEqual(managedFieldsAfterUpdate(deployments(T1), v1, garbage as KubeObject, 'b'), v1.metadata.managedFields);
});

test('list semantics: containers by name, ports by containerPort and protocol (TCP by default), finalizers as a set, tolerations atomic', () => {
  const pod = typeOfKind('Pod')!;
  const set = toFieldSet(pod, {
    metadata: { finalizers: ['x'] },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], tolerations: [{ key: 'k' }] },
  });
  assert.deepEqual(set.toFieldsV1(), {
    'f:metadata': { 'f:finalizers': { 'v:"x"': {} } },
    'f:spec': {
      'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } },
      'f:tolerations': {},
    },
  });
  const merged = merge(pod, { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], tolerations: [{ key: 'old' }] } }, {
    spec: { containers: [{ name: 'b', image: 'z' }, { name: 'c', image: 'w' }], tolerations: [{ key: 'new' }] },
  });
  assert.deepEqual(merged, { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }, { name: 'c', image: 'w' }], tolerations: [{ key: 'new' }] } });
  const c = compare(pod, { metadata: { labels: { a: '1' } } }, { metadata: { labels: { a: '2', b: '1' } } });
  assert.deepEqual(c.modified.paths().map(pathToString), ['.metadata.labels.a']);
  assert.deepEqual(c.added.paths().map(pathToString), ['.metadata.labels.b']);
});

test('apply creates with an Apply entry owning exactly the applied fields; defaults stay unowned', () => {
  const config = webDeployment({ replicas: 2, template: template([{ name: 'nginx', image: 'nginx' }]) });
  const created = applyConfiguration(deployments(), undefined, config, { manager: 'mgr', force: false });
  assert.equal(created.spec!.replicas, 2);
  assert.deepEqual(created.metadata.managedFields, [
    {
      manager: 'mgr',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:replicas': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
      },
    },
  ]);
});

test('apply conflicts with another manager’s different value: 409 in Kubernetes’ words; same value is shared; force takes over', () => {
  const live = webDeployment({ replicas: 1, template: template([{ name: 'nginx', image: 'nginx' }]) });
  live.metadata.managedFields = managedFieldsAfterUpdate(deployments(), undefined, live, 'kubectl-client-side-apply');
  const config = webDeployment({ replicas: 3, template: template([{ name: 'nginx', image: 'nginx:2' }]) });
  let err: ApiError | undefined;
  try {
    applyConfiguration(deployments(T1), live, config, { manager: 'mgr', force: false });
  } catch (e) {
    err = e as ApiError;
  }
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 409);
  assert.equal(
    err.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
  );
  assert.deepEqual(err.details?.causes?.[0], { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' });

  const one = webDeployment({ replicas: 3, template: template([{ name: 'nginx', image: 'nginx' }]) });
  assert.throws(() => applyConfiguration(deployments(T1), live, one, { manager: 'mgr', force: false }), {
    message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
  });

  const forced = applyConfiguration(deployments(T1), live, config, { manager: 'mgr', force: true });
  assert.equal(forced.spec!.replicas, 3);
  const [applied, updated] = forced.metadata.managedFields as any[];
  assert.equal(applied.manager, 'mgr');
  assert.ok(!('f:replicas' in updated.fieldsV1['f:spec']), 'the forced field left the other manager');
  assert.ok('f:selector' in updated.fieldsV1['f:spec'] || 'f:template' in updated.fieldsV1['f:spec'], 'the rest stays theirs');
  assert.ok(updated.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:name'], 'equal values are shared');
});

test('apply removes what the manager applied before and omits now, unless another manager owns it', () => {
  const v1 = applyConfiguration(deployments(), undefined, webDeployment({ replicas: 2, paused: true, template: template([{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }]) }, { labels: { x: '1', y: '2' } }), {
    manager: 'mgr',
    force: false,
  });
  // Another manager takes the label y too (same value: shared).
  v1.metadata.managedFields = managedFieldsAfterUpdate(deployments(), v1, { ...structuredClone(v1), metadata: { ...structuredClone(v1.metadata), labels: { x: '1', y: '2', z: '3' } } }, 'other');
  v1.metadata.labels = { x: '1', y: '2', z: '3' };
  const shared = JSON.parse(JSON.stringify(v1.metadata.managedFields));
  // Make "other" co-own y as Kubernetes does when it sets the same value: give it y explicitly.
  shared[1].fieldsV1['f:metadata']['f:labels']['f:y'] = {};
  v1.metadata.managedFields = shared;
  const v2 = applyConfiguration(deployments(T1), v1, webDeployment({ replicas: 2, template: template([{ name: 'a', image: 'a' }]) }), { manager: 'mgr', force: false });
  assert.equal(v2.spec!.paused, undefined, 'paused dropped');
  assert.deepEqual(v2.spec!.template.spec.containers.map((c: any) => c.name), ['a'], 'container b dropped');
  assert.deepEqual(v2.metadata.labels, { y: '2', z: '3' }, 'x dropped; y kept for its other owner');
});

test('kubectl server-side apply over a client-side apply takes the fields still equal to last-applied without force', () => {
  const lastApplied = webDeployment({ replicas: 1, template: template([{ name: 'nginx', image: 'nginx' }]) });
  const live = structuredClone(lastApplied);
  live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) };
  live.metadata.managedFields = managedFieldsAfterUpdate(deployments(), undefined, live, 'kubectl-client-side-apply');
  const config = webDeployment({ replicas: 4, template: template([{ name: 'nginx', image: 'nginx' }]) });
  const out = applyConfiguration(deployments(T1), live, config, { manager: 'kubectl', force: false });
  assert.equal(out.spec!.replicas, 4);
  assert.equal(JSON.parse(out.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas, 4, 'annotation kept in step');
  // Another manager's name gets the conflict.
  assert.throws(() => applyConfiguration(deployments(T1), live, config, { manager: 'other', force: false }), /conflict with "kubectl-client-side-apply"/);
  // A field changed since the last client-side apply is a real conflict even for kubectl.
  const scaled = structuredClone(live);
  scaled.spec!.replicas = 2;
  scaled.metadata.managedFields = managedFieldsAfterUpdate(deployments(), live, scaled, 'kubectl-client-side-apply');
  assert.throws(() => applyConfiguration(deployments(T1), scaled, config, { manager: 'kubectl', force: false }), /1 conflict: .*\.spec\.replicas/);
});

test('an apply item without its key field is a 400 naming the list', () => {
  assert.throws(
    () => applyConfiguration(deployments(), undefined, webDeployment({ template: template([{ image: 'x' }]) }), { manager: 'm', force: false }),
    (e: ApiError) => e.code === 400 && /\.spec\.template\.spec\.containers: element 0: .*omits key field "name"/.test(e.message),
  );
});

test('moving off client-side apply: the client-side manager’s fields join the applier’s entry, the annotation stays out', async () => {
  const { upgradeManagedFields } = await import('../../src/api/managed-fields/csa-upgrade.js');
  const csa = {
    manager: 'kubectl-client-side-apply',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: T0,
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } }, 'f:spec': { 'f:paused': {}, 'f:replicas': {} } },
  };
  const ssa = { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
  const status = { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:replicas': {} } }, subresource: 'status' };
  assert.deepEqual(upgradeManagedFields([ssa, csa, status], ['kubectl-client-side-apply'], 'kubectl'), [
    { ...ssa, fieldsV1: { 'f:metadata': { 'f:annotations': {} }, 'f:spec': { 'f:paused': {}, 'f:replicas': {} } } },
    status,
  ]);
  const alone = upgradeManagedFields([csa], ['kubectl-client-side-apply'], 'kubectl')!;
  assert.equal(alone.length, 1);
  assert.equal(alone[0].manager, 'kubectl');
  assert.equal(alone[0].operation, 'Apply');
  assert.equal(upgradeManagedFields([ssa, status], ['kubectl-client-side-apply'], 'kubectl'), undefined, 'nothing to move');
});

test('past 10 Update managers the oldest merge into ancient-changes, as Kubernetes caps them', () => {
  let obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} as Record<string, string> } as KubeObject;
  for (let i = 0; i < 12; i++) {
    const next = structuredClone(obj);
    next.data![`k${i}`] = 'v';
    const now = `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`;
    next.metadata.managedFields = managedFieldsAfterUpdate({ kind: 'ConfigMap', apiVersion: 'v1', statusIsSubresource: false, now }, obj, next, `writer-${i}`);
    obj = next;
  }
  const entries = obj.metadata.managedFields as any[];
  assert.equal(entries.length, 10);
  const ancient = entries.find((e) => e.manager === 'ancient-changes');
  assert.deepEqual(ancient.fieldsV1, { 'f:data': { 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
  assert.equal(ancient.time, '2026-01-01T00:00:02Z');
  assert.deepEqual(entries.filter((e) => e.manager !== 'ancient-changes').map((e) => e.manager), Array.from({ length: 9 }, (_, i) => `writer-${i + 3}`));
});

test('through the registry: an apply that changes nothing writes nothing; an update by another manager is recorded beside it', async () => {
  const { inProcessRegistry } = await import('../helpers/in-process-registry.js');
  const { findByKind } = await import('../../src/api/resources.js');
  const { registry, done } = inProcessRegistry();
  try {
    const services = findByKind('Service')!;
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } } as KubeObject;
    const first = await registry.apply(services, 'default', 's', svc, { fieldManager: 'mgr' });
    assert.equal(first.created, true);
    assert.ok(first.obj.spec!.clusterIP, 'allocated as on any create');
    const again = await registry.apply(services, 'default', 's', svc, { fieldManager: 'mgr' });
    assert.equal(again.obj.metadata.resourceVersion, first.obj.metadata.resourceVersion, 'no write');
    const labelled = registry.patch(services, 'default', 's', 'merge', { metadata: { labels: { x: 'y' } } }, { fieldManager: 'labeller' });
    assert.deepEqual(
      (labelled.metadata.managedFields as any[]).map((e) => [e.manager, e.operation, JSON.stringify(e.fieldsV1)]),
      [
        ['mgr', 'Apply', JSON.stringify({ 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:selector': {} } })],
        ['labeller', 'Update', JSON.stringify({ 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } })],
      ],
    );
  } finally {
    done();
  }
});

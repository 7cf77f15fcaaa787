import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import type { Registry } from '../../src/apiserver/registry/registry.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { refusal } from '../helpers/refusal.js';
import { missingComputeResources, quotaMatches, usage } from '../../src/apiserver/quota/evaluators.js';
import { formatResourceList } from '../../src/apiserver/quota/resource-list.js';
import { quotaStatus } from '../../src/apiserver/controllers/resourcequota/resourcequota-controller.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const SERVICES = findByKind('Service')!;
const PVCS = findByKind('PersistentVolumeClaim')!;
const CONFIGMAPS = findByKind('ConfigMap')!;
const DEPLOYMENTS = findByKind('Deployment')!;
const QUOTAS = findByKind('ResourceQuota')!;
const NOW = Date.parse('2026-01-01T00:00:00Z');

const container = (name: string, requests?: object, limits?: object) => ({ name, image: 'busybox', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
/** The pod p in default with these containers and the rest of its spec. */
const withContainers = (containers: object[], spec: object = {}): KubeObject => pod('p', { metadata: { namespace: 'default' }, spec: { containers, ...spec } });

test('usage: pods count their compute while running; init containers count by their largest', () => {
  const p = withContainers([container('a', { cpu: '100m', memory: '64Mi' }, { cpu: '200m' }), container('b', { cpu: '150m' })], {
    initContainers: [container('init', { cpu: '500m', memory: '32Mi' })],
  });
  assert.deepEqual(formatResourceList(usage(PODS, p, NOW)), {
    'count/pods': '1',
    cpu: '500m',
    'limits.cpu': '200m',
    memory: '64Mi',
    pods: '1',
    'requests.cpu': '500m',
    'requests.memory': '64Mi',
  });
  assert.deepEqual(formatResourceList(usage(PODS, { ...p, status: { phase: 'Succeeded' } }, NOW)), { 'count/pods': '1' });
  const leaving = { ...p, metadata: { ...p.metadata, deletionTimestamp: '2025-12-31T23:59:00Z', deletionGracePeriodSeconds: 30 } };
  assert.deepEqual(formatResourceList(usage(PODS, leaving, NOW)), { 'count/pods': '1' });
});

test('usage: services, claims, legacy and count/ names', () => {
  const svc = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } };
  assert.deepEqual(formatResourceList(usage(SERVICES, svc, NOW)), { 'count/services': '1', services: '1', 'services.loadbalancers': '1', 'services.nodeports': '2' });
  const pvc = { metadata: { name: 'c' }, spec: { storageClassName: 'local-path', resources: { requests: { storage: '1Gi' } } } };
  assert.deepEqual(formatResourceList(usage(PVCS, pvc, NOW)), {
    'count/persistentvolumeclaims': '1',
    'local-path.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    'local-path.storageclass.storage.k8s.io/requests.storage': '1Gi',
    persistentvolumeclaims: '1',
    'requests.storage': '1Gi',
  });
  assert.deepEqual(formatResourceList(usage(CONFIGMAPS, { metadata: { name: 'x' } }, NOW)), { configmaps: '1', 'count/configmaps': '1' });
  assert.deepEqual(formatResourceList(usage(DEPLOYMENTS, { metadata: { name: 'x' } }, NOW)), { 'count/deployments.apps': '1' });
});

test('scopes select pods only: BestEffort, NotTerminating, PriorityClass', () => {
  const quota = (scopes: string[], hard: object = { pods: '5' }): KubeObject => ({ metadata: { name: 'q' }, spec: { scopes, hard }, status: { hard } });
  const bestEffort = withContainers([container('a')]);
  const burstable = withContainers([container('a', { cpu: '100m' })]);
  assert.equal(quotaMatches(quota(['BestEffort']), PODS, bestEffort), true);
  assert.equal(quotaMatches(quota(['BestEffort']), PODS, burstable), false);
  assert.equal(quotaMatches(quota(['NotBestEffort']), PODS, burstable), true);
  assert.equal(quotaMatches(quota(['Terminating']), PODS, burstable), false);
  assert.equal(quotaMatches(quota(['Terminating']), PODS, withContainers([container('a')], { activeDeadlineSeconds: 60 })), true);
  assert.equal(quotaMatches(quota(['NotTerminating']), PODS, burstable), true);
  assert.equal(quotaMatches(quota([], { configmaps: '1' }), CONFIGMAPS, { metadata: { name: 'x' } }), true);
  assert.equal(quotaMatches(quota(['NotTerminating'], { configmaps: '1' }), CONFIGMAPS, { metadata: { name: 'x' } }), false);
  assert.equal(quotaMatches(quota([], { configmaps: '1' }), PODS, burstable), false, 'a quota on config maps leaves pods alone');
});

test('a quota on compute resources wants every container to state them', () => {
  const p = withContainers([container('app', { cpu: '100m' }), container('sidecar', { memory: '10Mi' }, { memory: '10Mi' })], { initContainers: [container('init')] });
  assert.equal(missingComputeResources(PODS, p, ['limits.cpu', 'requests.memory', 'pods']), 'must specify limits.cpu for: app,init,sidecar; requests.memory for: app,init');
  assert.equal(missingComputeResources(PODS, p, ['pods', 'count/pods']), undefined);
});

test('the controller counts what each hard resource is used for, zero when nothing', () => {
  const quota = { metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '4', 'requests.cpu': '2', 'count/configmaps': '10', services: '3' } } };
  const pods = [withContainers([container('a', { cpu: '250m' })]), withContainers([container('a', { cpu: '1' })]), { ...withContainers([container('a', { cpu: '1' })]), status: { phase: 'Failed' } }];
  const status = quotaStatus(quota, new Map([[PODS, pods], [CONFIGMAPS, [{ metadata: { name: 'c' } }]], [SERVICES, []]]), NOW);
  assert.deepEqual(status, {
    hard: { 'count/configmaps': '10', pods: '4', 'requests.cpu': '2', services: '3' },
    used: { 'count/configmaps': '1', pods: '2', 'requests.cpu': '1250m', services: '0' },
  });
});

function withRegistry(fn: (registry: Registry) => void) {
  return () => {
    const { registry, done } = inProcessRegistry();
    try {
      fn(registry);
    } finally {
      done();
    }
  };
}

/** A quota as the controller leaves it: status.hard from spec, used as given. */
function quotaWith(registry: Registry, name: string, hard: Record<string, string>, used: Record<string, string>, scopes?: string[]): void {
  registry.create(QUOTAS, 'default', { metadata: { name }, spec: { hard, ...(scopes ? { scopes } : {}) } });
  const q = registry.get(QUOTAS, 'default', name);
  registry.update(QUOTAS, 'default', name, { ...q, status: { hard, used } }, { subresource: 'status' });
}

const newPod = (name: string, containers: object[] = [container('app', { cpu: '100m', memory: '32Mi' }, { cpu: '100m', memory: '32Mi' })]) => ({ metadata: { name }, spec: { containers } });

test(
  'admission: charges each create in the same step, so the create over the quota is refused with Kubernetes\' message',
  withRegistry((registry) => {
    quotaWith(registry, 'pod-count', { pods: '2' }, { pods: '0' });
    registry.create(PODS, 'default', newPod('one'));
    assert.equal(registry.get(QUOTAS, 'default', 'pod-count').status.used.pods, '1');
    registry.create(PODS, 'default', newPod('two'));
    const err = refusal(() => registry.create(PODS, 'default', newPod('three')));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "three" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2');
    assert.deepEqual(err.details, { name: 'three', kind: 'pods' });
    assert.equal(registry.tryGet(PODS, 'default', 'three'), undefined);
    // A dry run is checked but not charged.
    registry.delete(PODS, 'default', 'two');
    quotaWith(registry, 'cm', { 'count/configmaps': '1' }, { 'count/configmaps': '0' });
    registry.create(CONFIGMAPS, 'default', { metadata: { name: 'a' } }, { dryRun: true });
    assert.equal(registry.get(QUOTAS, 'default', 'cm').status.used['count/configmaps'], '0');
  }),
);

test(
  'admission: compute quotas want requests and limits stated; a quota the controller has not counted yet refuses',
  withRegistry((registry) => {
    quotaWith(registry, 'compute', { 'limits.cpu': '1', 'requests.memory': '1Gi' }, { 'limits.cpu': '0', 'requests.memory': '0' });
    let err = refusal(() => registry.create(PODS, 'default', newPod('bare', [container('app')])));
    assert.equal(err.message, 'pods "bare" is forbidden: failed quota: compute: must specify limits.cpu for: app; requests.memory for: app');
    err = refusal(() => registry.create(PODS, 'default', newPod('big', [container('app', { memory: '2Gi' }, { cpu: '500m', memory: '2Gi' })])));
    assert.equal(err.message, 'pods "big" is forbidden: exceeded quota: compute, requested: requests.memory=2Gi, used: requests.memory=0, limited: requests.memory=1Gi');
    registry.create(QUOTAS, 'default', { metadata: { name: 'fresh' }, spec: { hard: { pods: '10' } } });
    const fresh = registry.get(QUOTAS, 'default', 'fresh');
    registry.update(QUOTAS, 'default', 'fresh', { ...fresh, status: { hard: { pods: '10' } } }, { subresource: 'status' });
    err = refusal(() => registry.create(PODS, 'default', newPod('early')));
    assert.equal(err.message, 'pods "early" is forbidden: status unknown for quota: fresh, resources: pods');
  }),
);

test(
  'admission on update: a Service turned NodePort or a claim grown is charged what it adds; other updates pass a full quota',
  withRegistry((registry) => {
    quotaWith(registry, 'ports', { services: '1', 'services.nodeports': '1' }, { services: '0', 'services.nodeports': '0' });
    registry.create(SERVICES, 'default', { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } });
    assert.deepEqual(registry.get(QUOTAS, 'default', 'ports').status.used, { services: '1', 'services.nodeports': '0' });
    const svc = registry.get(SERVICES, 'default', 'web');
    const err = refusal(() => registry.update(SERVICES, 'default', 'web', { ...svc, spec: { ...svc.spec, type: 'NodePort' } }));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'services "web" is forbidden: exceeded quota: ports, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1');
    assert.equal(registry.get(SERVICES, 'default', 'web').spec.type, 'ClusterIP');
    // With services=1 used up, an update that adds nothing still passes.
    registry.update(SERVICES, 'default', 'web', { ...svc, metadata: { ...svc.metadata, labels: { app: 'web' } } });
    const one = registry.get(SERVICES, 'default', 'web');
    registry.update(SERVICES, 'default', 'web', { ...one, spec: { ...one.spec, type: 'NodePort', ports: [{ name: 'http', port: 80 }] } });
    assert.deepEqual(registry.get(QUOTAS, 'default', 'ports').status.used, { services: '1', 'services.nodeports': '1' });

    quotaWith(registry, 'storage', { 'requests.storage': '3Gi' }, { 'requests.storage': '0' });
    registry.create(PVCS, 'default', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } } });
    const pvc = registry.get(PVCS, 'default', 'data');
    const grown = (storage: string) => ({ ...pvc, spec: { ...pvc.spec, resources: { requests: { storage } } } });
    assert.equal(refusal(() => registry.update(PVCS, 'default', 'data', grown('4Gi'))).message, 'persistentvolumeclaims "data" is forbidden: exceeded quota: storage, requested: requests.storage=3Gi, used: requests.storage=1Gi, limited: requests.storage=3Gi');
  }),
);

test(
  'quota validation: 422 with field paths for bad names, negatives, fractions of counted objects and scopes',
  withRegistry((registry) => {
    const err = refusal(() =>
      registry.create(QUOTAS, 'default', { metadata: { name: 'bad' }, spec: { hard: { pods: '1.5', cpu: '-1', widgets: '1', configmaps: '2' }, scopes: ['BestEffort', 'Sometimes'] } }),
    );
    assert.equal(err.code, 422);
    assert.deepEqual(
      err.details?.causes?.map((c) => `${c.field}: ${c.message}`),
      [
        'spec.hard[pods]: Invalid value: "1500m": must be an integer',
        'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
        'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "Sometimes"}: unsupported scope applied to resource',
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "Sometimes"}: unsupported scope applied to resource',
        'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "Sometimes"}: unsupported scope',
      ],
    );
  }),
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import type { Registry } from '../../src/apiserver/registry/registry.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { refusal } from '../helpers/refusal.js';
import { applyLimitRangeDefaults, limitRangeViolations } from '../../src/apiserver/registry/limit-ranger-admission.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const PVCS = findByKind('PersistentVolumeClaim')!;
const LIMIT_RANGES = findByKind('LimitRange')!;
const QUOTAS = findByKind('ResourceQuota')!;

const lr = (...limits: object[]): KubeObject => ({ metadata: { name: 'limits' }, spec: { limits } });
/** The pod p with these containers and init containers. */
const withContainers = (containers: object[], initContainers: object[] = []): KubeObject => pod('p', { spec: { containers, initContainers } });

test('defaults fill what containers leave out, and the annotation says what was set', () => {
  const p = withContainers([{ name: 'app', resources: { requests: { cpu: '50m' } } }, { name: 'side' }], [{ name: 'init', resources: { limits: { memory: '1Gi' } } }]);
  applyLimitRangeDefaults(p, [lr({ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } })]);
  assert.deepEqual(p.spec.containers[0].resources, { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  assert.deepEqual(p.spec.containers[1].resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  assert.deepEqual(p.spec.initContainers[0].resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '1Gi', cpu: '500m' } });
  assert.equal(
    p.metadata.annotations?.['kubernetes.io/limit-ranger'],
    'LimitRanger plugin set: memory request for container app; cpu, memory limit for container app; cpu, memory request for container side; cpu, memory limit for container side; cpu, memory request for init container init; cpu limit for init container init',
  );
  const untouched = withContainers([{ name: 'app' }]);
  applyLimitRangeDefaults(untouched, [lr({ type: 'Pod', max: { cpu: '1' } })]);
  assert.equal(untouched.metadata.annotations, undefined);
});

test('min, max and ratio per Container and per Pod, in Kubernetes\' words', () => {
  const limits = [lr({ type: 'Container', min: { cpu: '100m' }, max: { memory: '1Gi' }, maxLimitRequestRatio: { cpu: '4' } }, { type: 'Pod', max: { cpu: '1' } })];
  const p = withContainers([
    { name: 'a', resources: { requests: { cpu: '50m' }, limits: { cpu: '500m', memory: '2Gi' } } },
    { name: 'b', resources: { requests: { cpu: '200m' }, limits: { cpu: '600m', memory: '512Mi' } } },
  ]);
  assert.deepEqual(limitRangeViolations('Pod', p, limits), [
    'minimum cpu usage per Container is 100m, but request is 50m',
    'maximum memory usage per Container is 1Gi, but limit is 2Gi',
    'cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000',
    'maximum cpu usage per Pod is 1, but limit is 1100m',
  ]);
  assert.deepEqual(limitRangeViolations('Pod', withContainers([{ name: 'c' }]), [lr({ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1' } })]), [
    'minimum cpu usage per Container is 100m.  No request is specified',
    'maximum cpu usage per Container is 1.  No limit is specified',
  ]);
  const claim = { metadata: { name: 'c' }, spec: { resources: { requests: { storage: '20Gi' } } } };
  assert.deepEqual(limitRangeViolations('PersistentVolumeClaim', claim, [lr({ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } })]), [
    'maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
  ]);
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

test(
  'a LimitRange is defaulted like Kubernetes (max -> default -> defaultRequest, min -> defaultRequest) and fills pods at create',
  withRegistry((registry) => {
    const stored = registry.create(LIMIT_RANGES, 'default', { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } });
    assert.deepEqual(stored.spec.limits[0], { type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } });
    const created = registry.create(PODS, 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
    assert.deepEqual(created.spec.containers[0].resources, { limits: { cpu: '2' }, requests: { cpu: '2', memory: '64Mi' } });
    assert.equal(created.status.qosClass, 'Burstable');
    const err = refusal(() => registry.create(PODS, 'default', { metadata: { name: 'small' }, spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { memory: '32Mi' } } }] } }));
    assert.equal(err.code, 403);
    assert.equal(err.message, 'pods "small" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi');
    registry.create(LIMIT_RANGES, 'default', { metadata: { name: 'claims' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } }] } });
    const claim = refusal(() => registry.create(PVCS, 'default', { metadata: { name: 'big' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }));
    assert.equal(claim.message, 'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 5Gi');
    // Growing a claim is checked again.
    registry.create(PVCS, 'default', { metadata: { name: 'small' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const small = registry.get(PVCS, 'default', 'small');
    const grown = refusal(() => registry.update(PVCS, 'default', 'small', { ...small, spec: { ...small.spec, resources: { requests: { storage: '2Gi' } } } }));
    assert.equal(grown.message, 'persistentvolumeclaims "small" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi');
  }),
);

test(
  'LimitRanger runs before ResourceQuota: defaulted requests are what the quota charges',
  withRegistry((registry) => {
    registry.create(LIMIT_RANGES, 'default', { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', default: { cpu: '300m', memory: '64Mi' } }] } });
    registry.create(QUOTAS, 'default', { metadata: { name: 'q' }, spec: { hard: { 'limits.cpu': '500m', 'requests.cpu': '1' } } });
    const q = registry.get(QUOTAS, 'default', 'q');
    registry.update(QUOTAS, 'default', 'q', { ...q, status: { hard: q.spec.hard, used: { 'limits.cpu': '0', 'requests.cpu': '0' } } }, { subresource: 'status' });
    registry.create(PODS, 'default', { metadata: { name: 'one' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
    assert.deepEqual(registry.get(QUOTAS, 'default', 'q').status.used, { 'limits.cpu': '300m', 'requests.cpu': '300m' });
    const err = refusal(() => registry.create(PODS, 'default', { metadata: { name: 'two' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } }));
    assert.equal(err.message, 'pods "two" is forbidden: exceeded quota: q, requested: limits.cpu=300m, used: limits.cpu=300m, limited: limits.cpu=500m');
  }),
);

test(
  'LimitRange validation: 422 with field paths',
  withRegistry((registry) => {
    const err = refusal(() =>
      registry.create(LIMIT_RANGES, 'default', {
        metadata: { name: 'bad' },
        spec: {
          limits: [
            { type: 'Container', min: { cpu: '2' }, max: { cpu: '1' }, maxLimitRequestRatio: { memory: '500m' } },
            { type: 'Pod', default: { cpu: '1' } },
            { type: 'Container', max: { widgets: '1' } },
            { type: 'PersistentVolumeClaim' },
          ],
        },
      }),
    );
    assert.equal(err.code, 422);
    assert.deepEqual(
      err.details?.causes?.map((c) => `${c.field}: ${c.message}`),
      [
        'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
        // max 1 became the default limit and request (SetDefaults_LimitRangeItem) before validation.
        'spec.limits[0].defaultRequest[cpu]: Invalid value: "1": min value 2 is greater than default request value 1',
        'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1',
        'spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "500m": ratio 500m is less than 1',
        "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
        'spec.limits[2].max[widgets]: Invalid value: "widgets": must be a standard resource for containers',
        'spec.limits[2].default[widgets]: Invalid value: "widgets": must be a standard resource for containers',
        'spec.limits[2].defaultRequest[widgets]: Invalid value: "widgets": must be a standard resource for containers',
        'spec.limits[2].type: Duplicate value: "Container"',
        'spec.limits[3].limits: Required value: either minimum or maximum storage value is required, but neither was provided',
      ],
    );
  }),
);

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findByKind } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Registry } from '../../src/apiserver/registry/registry.js';
import { SqliteStore } from '../../src/apiserver/storage/sqlite-store.js';
import { evictPod } from '../../src/apiserver/registry/eviction.js';
import { budgetStatus, countHealthy, DELETION_TIMEOUT_MS, expectedPodCount, pendingDisruptions, type ControllerScale } from '../../src/apiserver/controllers/disruption/budget-status.js';
import { budgetsForPod } from '../../src/api/disruption-budget.js';
import { refusal } from '../helpers/refusal.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const PDBS = findByKind('PodDisruptionBudget')!;
const NAMESPACES = findByKind('Namespace')!;

const ready = { conditions: [{ type: 'Ready', status: 'True' }], phase: 'Running' };
/** A Running, Ready pod of the ReplicaSet rs, labelled app: web; extra replaces whole fields. */
const replica = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  ...pod(name, { metadata: { namespace: 'default' }, labels: { app: 'web' }, owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1' }, status: ready }),
  ...extra,
});
const pdb = (spec: object, status?: object): KubeObject => ({ metadata: { name: 'budget', namespace: 'default', generation: 1 }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, status });
const byReplicaSet = (replicas: number) => (): ControllerScale => ({ uid: 'deploy-1', replicas });

test('expected pods and desired healthy: integers against the pods, maxUnavailable and percentages against the scale', () => {
  const pods = [replica('a'), replica('b'), replica('c')];
  assert.deepEqual(expectedPodCount(pdb({ minAvailable: 2 }), pods, byReplicaSet(5)), { expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] });
  assert.deepEqual(expectedPodCount(pdb({ minAvailable: '50%' }), pods, byReplicaSet(5)), { expectedCount: 5, desiredHealthy: 3, unmanagedPods: [] });
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: 1 }), pods, byReplicaSet(5)), { expectedCount: 5, desiredHealthy: 4, unmanagedPods: [] });
  // A percentage of unavailability rounds up: 34% of 3 is 1.02, so 2 may go.
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: '34%' }), pods, byReplicaSet(3)), { expectedCount: 3, desiredHealthy: 1, unmanagedPods: [] });
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: 9 }), pods, byReplicaSet(3)).desiredHealthy, 0);
  assert.deepEqual(expectedPodCount(pdb({ maxUnavailable: 1 }), pods, () => 'unmanaged'), { expectedCount: 0, desiredHealthy: 0, unmanagedPods: ['a', 'b', 'c'] });
  assert.throws(() => expectedPodCount(pdb({ maxUnavailable: 1 }), pods, () => undefined), /found no controllers for pod "a"/);
});

test('healthy pods: ready, not deleting, not just evicted; an overdue eviction counts no more', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const recent = new Date(now - 1000).toISOString();
  const overdue = new Date(now - DELETION_TIMEOUT_MS - 1000).toISOString();
  const pods = [replica('a'), replica('b'), replica('c'), replica('d', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }), replica('e', { metadata: { ...replica('e').metadata, deletionTimestamp: recent } })];
  const budget = pdb({ minAvailable: 1 }, { disruptedPods: { a: recent, b: overdue, e: recent, gone: recent } });
  const { disrupted, recheckAt } = pendingDisruptions(budget, pods, now);
  assert.deepEqual(disrupted, { a: recent });
  assert.equal(recheckAt, Date.parse(recent) + DELETION_TIMEOUT_MS);
  assert.equal(countHealthy(pods, disrupted), 2);
});

test('budget status: allowed disruptions, never while no pods are expected, with the DisruptionAllowed condition', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const status = budgetStatus(pdb({ minAvailable: 2 }), { expectedCount: 3, desiredHealthy: 2, currentHealthy: 3, unmanagedPods: [], disrupted: {} }, now);
  assert.deepEqual(status, {
    observedGeneration: 1,
    disruptionsAllowed: 1,
    currentHealthy: 3,
    desiredHealthy: 2,
    expectedPods: 3,
    conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' }],
  });
  const none = budgetStatus(pdb({ minAvailable: 0 }, status), { expectedCount: 0, desiredHealthy: 0, currentHealthy: 0, unmanagedPods: [], disrupted: {} }, new Date('2026-01-01T00:01:00Z'));
  assert.equal(none.disruptionsAllowed, 0);
  assert.deepEqual(none.conditions.map((c: any) => [c.status, c.reason, c.lastTransitionTime]), [['False', 'InsufficientPods', '2026-01-01T00:01:00Z']]);
});

test('which budgets cover a pod: policy/v1 empty selector covers all, absent none, other namespaces never', () => {
  const p = replica('a');
  const budgets = [
    { metadata: { name: 'all', namespace: 'default' }, spec: { selector: {} } },
    { metadata: { name: 'none', namespace: 'default' }, spec: {} },
    { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } },
    { metadata: { name: 'other', namespace: 'other' }, spec: { selector: {} } },
    { metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } } },
  ];
  assert.deepEqual(budgetsForPod(budgets, p).map((b) => b.metadata.name), ['all', 'web']);
});

function withRegistry(fn: (registry: Registry) => void) {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'kctl-evict-'));
    const store = new SqliteStore(join(dir, 'kctl.db'));
    try {
      const registry = new Registry(store);
      registry.create(NAMESPACES, undefined, { metadata: { name: 'default' } });
      fn(registry);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const EVICTION = (name: string): KubeObject => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });

function runningPod(registry: Registry, name: string): void {
  registry.create(PODS, 'default', pod(name, { labels: { app: 'web' } }));
  const created = registry.get(PODS, 'default', name);
  registry.update(PODS, 'default', name, { ...created, status: { ...created.status, ...ready } }, { subresource: 'status' });
}

function setBudgetStatus(registry: Registry, status: object): void {
  const current = registry.get(PDBS, 'default', 'budget');
  registry.update(PDBS, 'default', 'budget', { ...current, status: { observedGeneration: 1, ...status } }, { subresource: 'status' });
}

test(
  'eviction: 429 with the DisruptionBudget cause when no disruption is allowed; allowed ones are used up and recorded',
  withRegistry((registry) => {
    runningPod(registry, 'a');
    runningPod(registry, 'b');
    registry.create(PDBS, 'default', pdb({ minAvailable: 1 }));
    // Before the controller has looked at the budget: still being processed.
    const early = refusal(() => evictPod(registry, 'default', 'a', EVICTION('a'), false));
    assert.equal(early.code, 429);
    assert.deepEqual(early.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget budget is still being processed by the server.' }], retryAfterSeconds: 10 });

    setBudgetStatus(registry, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 });
    const refused = refusal(() => evictPod(registry, 'default', 'a', EVICTION('a'), false));
    assert.equal(refused.code, 429);
    assert.equal(refused.reason, 'TooManyRequests');
    assert.equal(refused.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(refused.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget budget needs 2 healthy pods and has 2 currently' }] });
    assert.ok(registry.tryGet(PODS, 'default', 'a'), 'the pod stays');

    setBudgetStatus(registry, { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    // A dry run changes nothing.
    evictPod(registry, 'default', 'a', EVICTION('a'), true);
    assert.equal(registry.get(PDBS, 'default', 'budget').status.disruptionsAllowed, 1);
    assert.deepEqual(evictPod(registry, 'default', 'a', EVICTION('a'), false), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const after = registry.get(PDBS, 'default', 'budget').status;
    assert.equal(after.disruptionsAllowed, 0);
    assert.deepEqual(Object.keys(after.disruptedPods), ['a']);
    assert.equal(after.conditions[0].reason, 'InsufficientPods');
    assert.equal(registry.tryGet(PODS, 'default', 'a'), undefined, 'an unbound pod goes at once');
    assert.equal(refusal(() => evictPod(registry, 'default', 'b', EVICTION('b'), false)).code, 429);
  }),
);

test(
  'eviction: pending pods and unready pods of a met budget go; two budgets are a 500; negative budgets are forbidden',
  withRegistry((registry) => {
    registry.create(PDBS, 'default', pdb({ minAvailable: 1 }));
    setBudgetStatus(registry, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    registry.create(PODS, 'default', { metadata: { name: 'pending', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
    evictPod(registry, 'default', 'pending', EVICTION('pending'), false);
    assert.equal(registry.tryGet(PODS, 'default', 'pending'), undefined);

    runningPod(registry, 'unready');
    const unready = registry.get(PODS, 'default', 'unready');
    registry.update(PODS, 'default', 'unready', { ...unready, status: { ...unready.status, conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status' });
    evictPod(registry, 'default', 'unready', EVICTION('unready'), false);
    assert.equal(registry.tryGet(PODS, 'default', 'unready'), undefined);

    runningPod(registry, 'a');
    setBudgetStatus(registry, { disruptionsAllowed: -1 });
    assert.equal(refusal(() => evictPod(registry, 'default', 'a', EVICTION('a'), false)).message, 'poddisruptionbudget.policy "budget" is forbidden: pdb disruptions allowed is negative');

    registry.create(PDBS, 'default', { metadata: { name: 'second' }, spec: { selector: {}, maxUnavailable: 1 } });
    const status = evictPod(registry, 'default', 'a', EVICTION('a'), false);
    assert.deepEqual(status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
    assert.ok(registry.tryGet(PODS, 'default', 'a'));
  }),
);

test(
  'budget validation: 422 with field paths',
  withRegistry((registry) => {
    const invalid = refusal(() => registry.create(PDBS, 'default', { metadata: { name: 'bad' }, spec: { minAvailable: '150%', maxUnavailable: 'x', unhealthyPodEvictionPolicy: 'Never' } }));
    assert.equal(invalid.code, 422);
    const fields = (invalid.details?.causes ?? []).map((c) => c.field);
    assert.deepEqual(fields, ['spec', 'spec.minAvailable', 'spec.maxUnavailable', 'spec.unhealthyPodEvictionPolicy']);
    assert.equal(refusal(() => registry.create(PDBS, 'default', { metadata: { name: 'neg' }, spec: { minAvailable: -1 } })).details?.causes?.[0].message, 'Invalid value: -1: must be greater than or equal to 0');
  }),
);

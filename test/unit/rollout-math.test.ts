import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import {
  findActiveOrLatest,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportionalSizes,
  resolveFenceposts,
  scaledValue,
} from '../../src/apiserver/controllers/deployment/rollout-math.js';
import { computeHash } from '../../src/apiserver/controllers/deployment/pod-template-hash.js';
import { maxRevision, setNewReplicaSetAnnotations } from '../../src/apiserver/controllers/deployment/replica-set-annotations.js';
import { progressCheckDelay, rolloutStatus } from '../../src/apiserver/controllers/deployment/deployment-status.js';
import { equalIgnoreHash, findNewReplicaSet } from '../../src/api/deployment-revisions.js';
import { deployment } from '../helpers/builders.js';

/** The Deployment web, generation 1, rolling out with maxSurge and maxUnavailable (25% each unless told). */
function rolling(replicas: number, maxSurge: number | string = '25%', maxUnavailable: number | string = '25%', extra: Partial<KubeObject> = {}): KubeObject {
  return {
    ...deployment('web', {
      replicas,
      metadata: { namespace: 'default', generation: 1, ...extra.metadata },
      deploymentSpec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } }, progressDeadlineSeconds: 600 },
    }),
    status: extra.status ?? {},
  };
}

function rs(name: string, replicas: number, opts: { created?: string; annotations?: Record<string, string>; available?: number; replicasStatus?: number } = {}): KubeObject {
  return {
    metadata: { name, uid: name, creationTimestamp: opts.created ?? '2024-01-01T00:00:00Z', annotations: opts.annotations },
    spec: { replicas },
    status: { replicas: opts.replicasStatus ?? replicas, availableReplicas: opts.available ?? 0 },
  };
}

test('maxSurge rounds up, maxUnavailable rounds down, both 0 means one unavailable', () => {
  const cases: Array<[number | string, number | string, number, [number, number]]> = [
    ['25%', '25%', 4, [1, 1]],
    ['25%', '25%', 10, [3, 2]],
    ['25%', '25%', 1, [1, 0]],
    ['25%', '25%', 3, [1, 0]],
    [0, '25%', 3, [0, 1]], // floor(0.75)=0 and surge 0: unavailable becomes 1
    ['0%', '10%', 5, [0, 1]],
    [2, 0, 5, [2, 0]],
    ['50%', '50%', 5, [3, 2]],
    ['100%', 0, 7, [7, 0]],
    [0, 0, 0, [0, 1]],
  ];
  for (const [surge, unavailable, desired, expected] of cases) {
    assert.deepEqual(resolveFenceposts(surge, unavailable, desired), expected, `${surge}/${unavailable} of ${desired}`);
  }
  assert.equal(scaledValue('33%', 10, true), 4);
  assert.equal(scaledValue('33%', 10, false), 3);
  assert.throws(() => scaledValue('3', 10, true), /not a percentage/);
});

test('maxUnavailable is capped at the replicas and 0 for Recreate or no replicas', () => {
  assert.equal(maxUnavailable(rolling(2, 0, 5)), 2);
  assert.equal(maxUnavailable(rolling(0)), 0);
  const recreate = rolling(4);
  recreate.spec.strategy = { type: 'Recreate' };
  assert.equal(maxUnavailable(recreate), 0);
  assert.equal(maxSurge(recreate), 0);
  assert.equal(maxSurge(rolling(10)), 3);
});

test('the new ReplicaSet grows up to replicas + maxSurge in all, never past replicas', () => {
  const cases: Array<[string, KubeObject, KubeObject[], number]> = [
    ['fresh rollout, surge 1', rolling(4, 1, 1), [rs('old', 4), rs('new', 0)], 1],
    ['surge already used', rolling(4, 1, 1), [rs('old', 4), rs('new', 1)], 1],
    ['old scaled down, room for 2', rolling(4, 1, 1), [rs('old', 2), rs('new', 1)], 3],
    ['never past desired', rolling(4, 3, 1), [rs('old', 0), rs('new', 2)], 4],
    ['no old ReplicaSet', rolling(3, '25%', '25%'), [rs('new', 0)], 3],
  ];
  for (const [name, d, all, expected] of cases) {
    const newRS = all[all.length - 1];
    assert.equal(newRSNewReplicas(d, all, newRS), expected, name);
  }
  const recreate = rolling(5);
  recreate.spec.strategy = { type: 'Recreate' };
  assert.equal(newRSNewReplicas(recreate, [rs('new', 0)], rs('new', 0)), 5);
});

test('scaling in the middle of a rollout is shared out in proportion, leftovers to the largest', () => {
  // 10 replicas (max 13) split 8 old / 5 new, then scaled to 20 (max 25: 12 more).
  const annotations = { 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' };
  const d = rolling(20, 3, 2);
  d.spec.strategy.rollingUpdate = { maxSurge: 5, maxUnavailable: 2 };
  const old = rs('old', 8, { created: '2024-01-01T00:00:00Z', annotations });
  const fresh = rs('new', 5, { created: '2024-01-02T00:00:00Z', annotations });
  const { sizes, direction } = proportionalSizes(d, [old, fresh]);
  assert.equal(direction, 'up');
  // 8*25/13 = 15.4 -> 15 (+7); 5*25/13 = 9.6 -> 10 (+5).
  assert.equal(sizes.get(old), 15);
  assert.equal(sizes.get(fresh), 10);
  // Scaling down to 0 takes everything away.
  const zero = rolling(0, 1, 1);
  const down = proportionalSizes(zero, [old, fresh]);
  assert.equal(down.direction, 'down');
  assert.equal(down.sizes.get(old), 0);
  assert.equal(down.sizes.get(fresh), 0);
});

test('the one active ReplicaSet, or the newest when none is active; none when several are', () => {
  const a = rs('a', 0, { created: '2024-01-01T00:00:00Z' });
  const b = rs('b', 0, { created: '2024-01-02T00:00:00Z' });
  const c = rs('c', 2, { created: '2024-01-03T00:00:00Z' });
  assert.equal(findActiveOrLatest(undefined, [a, b]), b);
  assert.equal(findActiveOrLatest(a, [b, c]), c);
  assert.equal(findActiveOrLatest(rs('n', 1), [c]), undefined);
  assert.equal(findActiveOrLatest(undefined, []), undefined);
});

test('saturated: all replicas, recorded as desired, all available', () => {
  const d = rolling(3);
  const annotations = { 'deployment.kubernetes.io/desired-replicas': '3' };
  assert.equal(isSaturated(d, rs('n', 3, { annotations, available: 3 })), true);
  assert.equal(isSaturated(d, rs('n', 3, { annotations, available: 2 })), false);
  assert.equal(isSaturated(d, rs('n', 3, { available: 3 })), false);
  assert.equal(isSaturated(d, undefined), false);
});

test('the pod-template-hash is stable, ignores key order, and changes with the template and the collision count', () => {
  const t1 = { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } };
  const t2 = { spec: { containers: [{ image: 'busybox:1.35', name: 'c' }] }, metadata: { labels: { tier: 'front', app: 'web' } } };
  assert.equal(computeHash(t1), computeHash(t2));
  assert.match(computeHash(t1), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.notEqual(computeHash(t1), computeHash({ ...t1, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } }));
  assert.notEqual(computeHash(t1), computeHash(t1, 1));
  assert.notEqual(computeHash(t1, 1), computeHash(t1, 2));
});

test('new ReplicaSet annotations: copied from the Deployment, revision raised, older numbers kept on a rollback', () => {
  const d = rolling(3);
  d.metadata.annotations = { 'kubernetes.io/change-cause': 'v2', 'deployment.kubernetes.io/revision': '4', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
  const fresh = rs('n', 0);
  assert.equal(setNewReplicaSetAnnotations(d, fresh, 5, false), true);
  assert.deepEqual(fresh.metadata.annotations, {
    'kubernetes.io/change-cause': 'v2',
    'deployment.kubernetes.io/revision': '5',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });
  assert.equal(setNewReplicaSetAnnotations(d, fresh, 5, true), false);
  const back = rs('b', 0, { annotations: { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' } });
  setNewReplicaSetAnnotations(d, back, 6, true);
  assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision'], '6');
  assert.equal(back.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,2');
  assert.equal(maxRevision([back, fresh, rs('x', 0)]), 6);
});

test('the new ReplicaSet is the oldest whose template matches, pod-template-hash ignored', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'a' }] } };
  const withHash = (name: string, created: string, image: string) => ({
    ...rs(name, 1, { created }),
    spec: { replicas: 1, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } } },
  });
  const older = withHash('x', '2024-01-01T00:00:00Z', 'a');
  const newer = withHash('y', '2024-01-02T00:00:00Z', 'a');
  const other = withHash('z', '2023-01-01T00:00:00Z', 'b');
  assert.equal(findNewReplicaSet(template, [newer, other, older]), older);
  assert.equal(equalIgnoreHash(template, other.spec.template), false);
  assert.equal(findNewReplicaSet(template, [other]), undefined);
});

test('Progressing: progress renews the condition, a stall past the deadline times out, completion says so', () => {
  const now = Date.parse('2024-01-01T00:10:00Z');
  const started = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-abc"', lastUpdateTime: '2024-01-01T00:00:00Z', lastTransitionTime: '2024-01-01T00:00:00Z' };
  const newRS = { ...rs('web-abc', 3, { available: 1 }), status: { replicas: 3, availableReplicas: 1, readyReplicas: 1 } };
  const d = rolling(3, 1, 0, { status: { conditions: [started], replicas: 3, updatedReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 } });
  d.spec.progressDeadlineSeconds = 60;
  const progressed = rolloutStatus([newRS], newRS, d, now);
  const p = progressed.conditions!.find((c) => c.type === 'Progressing')!;
  assert.equal(p.reason, 'ReplicaSetUpdated');
  assert.equal(p.message, 'ReplicaSet "web-abc" is progressing.');
  assert.equal(p.lastTransitionTime, '2024-01-01T00:00:00Z');
  assert.equal(p.lastUpdateTime, '2024-01-01T00:10:00Z');
  // Nothing new for longer than the deadline: timed out.
  const stalled = rolling(3, 1, 0, { status: { ...d.status, readyReplicas: 1, availableReplicas: 1 } });
  stalled.spec.progressDeadlineSeconds = 60;
  const timedOut = rolloutStatus([newRS], newRS, stalled, now).conditions!.find((c) => c.type === 'Progressing')!;
  assert.deepEqual([timedOut.status, timedOut.reason, timedOut.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-abc" has timed out progressing.']);
  const available = rolloutStatus([newRS], newRS, stalled, now).conditions!.find((c) => c.type === 'Available')!;
  assert.deepEqual([available.status, available.reason], ['False', 'MinimumReplicasUnavailable']);
  // Within the deadline: look again when it passes (plus a second).
  const recent = rolling(3, 1, 0, { status: { ...stalled.status, conditions: [{ ...started, lastUpdateTime: '2024-01-01T00:09:30Z' }] } });
  recent.spec.progressDeadlineSeconds = 60;
  assert.equal(progressCheckDelay(recent, rolloutStatus([newRS], newRS, recent, now), now), 31_000);
  // All there: complete.
  const done = { ...newRS, status: { replicas: 3, availableReplicas: 3, readyReplicas: 3 } };
  const complete = rolloutStatus([done], done, d, now);
  const c = complete.conditions!.find((x) => x.type === 'Progressing')!;
  assert.deepEqual([c.status, c.reason, c.message], ['True', 'NewReplicaSetAvailable', 'ReplicaSet "web-abc" has successfully progressed.']);
  assert.deepEqual(
    { ...complete, conditions: undefined },
    { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined },
  );
});

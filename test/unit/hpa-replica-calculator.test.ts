import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceReplicas, type PodSample } from '../../src/apiserver/controllers/horizontalpodautoscaler/replica-calculator.js';
import { normalizeReplicas, recordScale, type History } from '../../src/apiserver/controllers/horizontalpodautoscaler/behavior.js';

// What the replica calculator knows of a pod: its usage and request, ready unless told.
const sample = (name: string, usage: number | undefined, request = 100, ready = true): PodSample => ({ name, ready, ignored: false, usage, request });
const cpu50 = { type: 'Utilization' as const, averageUtilization: 50 };

test('utilization against requests: scale up in proportion, stay within the 10% tolerance, scale down', () => {
  // 90% of requests against 50%: ceil(1.8 * 2) = 4.
  assert.deepEqual(resourceReplicas(2, [sample('a', 90), sample('b', 90)], cpu50, 'cpu'), { replicas: 4, utilization: 90, averageValue: 90 });
  assert.equal(resourceReplicas(2, [sample('a', 54), sample('b', 54)], cpu50, 'cpu').replicas, 2, '54% is within 10% of 50%');
  assert.equal(resourceReplicas(4, [sample('a', 10), sample('b', 10), sample('c', 10), sample('d', 10)], cpu50, 'cpu').replicas, 1);
  // Requests differ: utilization is the sum of usage over the sum of requests.
  assert.equal(resourceReplicas(2, [sample('a', 100, 100), sample('b', 0, 300)], cpu50, 'cpu').utilization, 25);
});

test('average value targets compare the mean usage per pod', () => {
  const r = resourceReplicas(2, [sample('a', 300), sample('b', 100)], { type: 'AverageValue', averageValue: 100 }, 'cpu');
  assert.equal(r.replicas, 4);
  assert.equal(r.averageValue, 200);
  assert.equal(r.utilization, undefined);
});

test('pods without figures count as 0% on the way up and 100% of the request on the way down', () => {
  // Up: 2 pods at 100%, one missing counted 0: ratio (200/300)/0.5 = 1.33 -> ceil(1.33*3) = 4.
  assert.equal(resourceReplicas(3, [sample('a', 100), sample('b', 100), sample('c', undefined)], cpu50, 'cpu').replicas, 4);
  // Down: 2 pods at 10%, one missing counted 100%: (120/300)/0.5 = 0.8 -> ceil(2.4) = 3 (stays), not 1.
  assert.equal(resourceReplicas(3, [sample('a', 10), sample('b', 10), sample('c', undefined)], cpu50, 'cpu').replicas, 3);
});

test('pods not yet ready are left out when scaling down and count as 0 when scaling up', () => {
  // Up: ready pods at 120% of target, but with the unready pod at 0 the ratio is 0.8: the direction flips, so no change.
  assert.equal(resourceReplicas(3, [sample('a', 60), sample('b', 60), sample('c', 200, 100, false)], cpu50, 'cpu').replicas, 3);
  assert.equal(resourceReplicas(3, [sample('a', 100), sample('b', 100), sample('c', undefined, 100, false)], cpu50, 'cpu').replicas, 4);
  // Down: the unready pod's high figure is ignored.
  assert.equal(resourceReplicas(3, [sample('a', 10), sample('b', 10), sample('c', 500, 100, false)], cpu50, 'cpu').replicas, 1);
  // Deleted or failed pods do not count at all.
  assert.equal(resourceReplicas(2, [sample('a', 100), { ...sample('b', 0), ignored: true }], cpu50, 'cpu').replicas, 2);
});

test('a container without a request, or no figures at all, is an error naming the cause', () => {
  assert.throws(() => resourceReplicas(1, [{ ...sample('a', 10), request: undefined }], cpu50, 'cpu'), /missing request for cpu in pod a/);
  assert.throws(() => resourceReplicas(1, [sample('a', undefined)], cpu50, 'cpu'), /did not receive metrics/);
  assert.throws(() => resourceReplicas(1, [], cpu50, 'cpu'), /no pods/);
});

const fresh = (): History => ({ recommendations: [], scaleUps: [], scaleDowns: [] });
const args = { minReplicas: 1, maxReplicas: 10, behavior: undefined, downscaleWindowSeconds: 300 };

test('scale down waits for the stabilization window: the highest recommendation of the last 300 s wins', () => {
  const h = fresh();
  const t0 = 1_000_000;
  assert.equal(normalizeReplicas({ ...args, current: 4, desired: 4, now: t0 }, h).replicas, 4);
  const held = normalizeReplicas({ ...args, current: 4, desired: 1, now: t0 + 60_000 }, h);
  assert.equal(held.replicas, 4);
  assert.equal(held.stabilized?.reason, 'ScaleDownStabilized');
  assert.equal(normalizeReplicas({ ...args, current: 4, desired: 1, now: t0 + 299_000 }, h).replicas, 4);
  assert.equal(normalizeReplicas({ ...args, current: 4, desired: 1, now: t0 + 301_000 }, h).replicas, 1);
  // A shorter window from the HPA's behavior.
  const h2 = fresh();
  const behavior = { scaleDown: { stabilizationWindowSeconds: 10 } };
  normalizeReplicas({ ...args, behavior, current: 4, desired: 4, now: t0 }, h2);
  assert.equal(normalizeReplicas({ ...args, behavior, current: 4, desired: 1, now: t0 + 11_000 }, h2).replicas, 1);
});

test('scale up policies: 100% or 4 pods per 15 s by default, counting changes already made in the period', () => {
  const h = fresh();
  const t0 = 1_000_000;
  const r = normalizeReplicas({ ...args, maxReplicas: 50, current: 1, desired: 20, now: t0 }, h);
  assert.equal(r.replicas, 5, 'max(1*2, 1+4)');
  assert.deepEqual([r.limit.limited, r.limit.reason], [true, 'ScaleUpLimit']);
  recordScale(h, 1, 5, t0);
  assert.equal(normalizeReplicas({ ...args, maxReplicas: 50, current: 5, desired: 20, now: t0 + 5_000 }, h).replicas, 5, 'the period started at 1');
  assert.equal(normalizeReplicas({ ...args, maxReplicas: 50, current: 5, desired: 20, now: t0 + 16_000 }, h).replicas, 10);
  const pods = { scaleUp: { policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] } };
  assert.equal(normalizeReplicas({ ...args, behavior: pods, current: 2, desired: 8, now: t0 }, fresh()).replicas, 3);
  assert.equal(normalizeReplicas({ ...args, behavior: { scaleUp: { selectPolicy: 'Disabled' as const } }, current: 2, desired: 8, now: t0 }, fresh()).replicas, 2);
});

test('min and max bound the count, with ScalingLimited saying why', () => {
  const up = normalizeReplicas({ ...args, maxReplicas: 3, current: 2, desired: 8, now: 0 }, fresh());
  assert.deepEqual([up.replicas, up.limit.reason], [3, 'TooManyReplicas']);
  const down = normalizeReplicas({ ...args, minReplicas: 2, downscaleWindowSeconds: 0, current: 4, desired: 1, now: 0 }, fresh());
  assert.deepEqual([down.replicas, down.limit.reason], [2, 'TooFewReplicas']);
  const within = normalizeReplicas({ ...args, current: 2, desired: 3, now: 0 }, fresh());
  assert.deepEqual([within.replicas, within.limit.limited, within.limit.reason], [3, false, 'DesiredWithinRange']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient } from '../../src/api/client.js';
import { findByKind } from '../../src/api/resources.js';
import { HollowPods } from '../../src/nodeagent/hollow/hollow-pods.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { pod } from '../helpers/builders.js';

const PODS = findByKind('Pod')!;
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await tick();
  assert.ok(check(), what);
}

test('a hollow node reports its pods Running; a status write that fails is tried again, not forgotten', async () => {
  const { registry, client, done } = inProcessRegistry();
  const logged: string[] = [];
  let failures = 2;
  // The node's client loses its first two status writes (a timeout, a reset connection).
  const flaky = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'patch') {
        return (...args: Parameters<ApiClient['patch']>) => (failures-- > 0 ? Promise.reject(new Error('socket hang up')) : target.patch(...args));
      }
      return Reflect.get(target, prop, receiver);
    },
  }) as ApiClient;
  const hollow = new HollowPods(new Set(['n1']), (msg) => logged.push(msg), () => flaky, 10);
  try {
    hollow.start();
    registry.create(PODS, 'default', pod('a', { spec: { nodeName: 'n1' } }));
    registry.create(PODS, 'default', pod('elsewhere', { spec: { nodeName: 'n2' } }));
    await eventually(() => registry.get(PODS, 'default', 'a').status?.phase === 'Running', 'the pod runs once a write gets through');
    assert.equal(failures, -1, 'tried three times: two failed writes, then the one that got through');
    assert.deepEqual(logged, Array(2).fill('hollow pod default/a: socket hang up; trying again in 10 ms'));
    assert.notEqual(registry.get(PODS, 'default', 'elsewhere').status?.phase, 'Running', "another node's pod is left alone");
  } finally {
    await hollow.stop();
    done();
  }
});

test('no retry outlives stop(), and a pod deleted meanwhile is not written again', async () => {
  const { registry, client, done } = inProcessRegistry();
  let writes = 0;
  const failing = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'patch') return () => (writes++, Promise.reject(new Error('timeout')));
      return Reflect.get(target, prop, receiver);
    },
  }) as ApiClient;
  const hollow = new HollowPods(new Set(['n1']), () => {}, () => failing, 30);
  try {
    hollow.start();
    registry.create(PODS, 'default', pod('a', { spec: { nodeName: 'n1' } }));
    await eventually(() => writes === 1, 'the first write');
    registry.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await tick(100);
    assert.equal(writes, 1, 'the pod is gone: nothing to write');
    registry.create(PODS, 'default', pod('b', { spec: { nodeName: 'n1' } }));
    await eventually(() => writes === 2, 'the first write of b');
    await hollow.stop();
    await tick(100);
    assert.equal(writes, 2, 'stopped: no retry');
  } finally {
    await hollow.stop();
    done();
  }
});

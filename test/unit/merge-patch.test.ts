import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, isJsonObject } from '../../src/api/patch/merge-patch.js';

test('RFC 7386 appendix A examples', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, expected] of cases) {
    assert.deepEqual(applyMergePatch(target, patch), expected, JSON.stringify({ target, patch }));
  }
});

test('a Kubernetes-style label and replica change', () => {
  const deployment = { metadata: { name: 'web', labels: { app: 'web', old: 'x' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'a' }] } } } };
  const patched = applyMergePatch(deployment, { metadata: { labels: { old: null, tier: 'fe' } }, spec: { replicas: 3 } });
  assert.deepEqual(patched, {
    metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'a' }] } } },
  });
});

test('the result shares nothing with the arguments, which stay unchanged', () => {
  const target = { a: { b: 1 }, keep: { deep: [1] } };
  const patch = { a: { c: { d: 2 } } };
  const result = applyMergePatch(target, patch) as { a: { b: number; c: { d: number } }; keep: { deep: number[] } };
  result.keep.deep.push(2);
  result.a.c.d = 3;
  assert.deepEqual(target, { a: { b: 1 }, keep: { deep: [1] } });
  assert.deepEqual(patch, { a: { c: { d: 2 } } });
});

test('isJsonObject', () => {
  assert.equal(isJsonObject({}), true);
  assert.equal(isJsonObject([]), false);
  assert.equal(isJsonObject(null), false);
  assert.equal(isJsonObject('x'), false);
});

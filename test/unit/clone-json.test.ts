import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cloneJSON } from '../../src/api/clone-json.js';

test('cloneJSON copies every level, as structuredClone does for JSON values', () => {
  const original = { a: [1, { b: 'x', c: null }], d: { e: true, f: undefined }, g: 0, h: '' };
  const copy = cloneJSON(original);
  assert.deepStrictEqual(copy, structuredClone(original));
  assert.ok('f' in copy.d, 'an undefined member stays, as with structuredClone');
  assert.notEqual(copy.a, original.a);
  assert.notEqual(copy.a[1], original.a[1]);
  assert.notEqual(copy.d, original.d);
  (copy.a[1] as { b: string }).b = 'y';
  assert.equal((original.a[1] as { b: string }).b, 'x');
  assert.equal(cloneJSON(null), null);
  assert.equal(cloneJSON('s'), 's');
});

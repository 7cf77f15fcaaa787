// The JSONPath evaluator alone: the values each action finds (before any printing), and
// execution errors in kubectl's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonPath, JsonPathError } from '../../src/api/printers/jsonpath/evaluator.js';

const data = {
  items: [
    { name: 'a', n: 1, ready: true, tags: ['x', 'y'] },
    { name: 'b', n: 2.5, ready: false },
    { name: 'c', n: 3, ready: true, tags: [] },
  ],
};

const find = (template: string, opts = {}) => new JsonPath(template, opts).findResults(data);

test('each action yields its list of values', () => {
  assert.deepEqual(find('{.items[*].name}'), [['a', 'b', 'c']]);
  assert.deepEqual(find('{.items[0].name}-{.items[-1].n}'), [['a'], ['-'], [3]]);
  assert.deepEqual(find('{.items[::2].name}'), [['a', 'c']]);
  assert.deepEqual(find('{.items[0,2].name}'), [['a', 'c']]);
  assert.deepEqual(find('{.items[0].tags.*}'), [['x', 'y']]);
  assert.deepEqual(find('{.items[?(@.tags)].name}'), [['a', 'c']]);
});

test('filters compare as Go templates do', () => {
  assert.deepEqual(find('{.items[?(@.name>"a")].name}'), [['b', 'c']]);
  assert.deepEqual(find('{.items[?(@.ready==true)].tags[?(@<="x")]}'), [['x']]);
  // 2.5 is a float64 and 1 an int64: Go will not compare them.
  assert.throws(() => find('{.items[?(@.n>1)]}'), /incompatible types for comparison/);
  assert.deepEqual(find('{.items[?(@.ready==true)].name}'), [['a', 'c']]);
  assert.deepEqual(find('{.items[?(@.name!="b")].n}'), [[1, 3]]);
  assert.throws(() => find('{.items[?(@.n=="1")]}'), /incompatible types for comparison/);
  assert.throws(() => find('{.items[?(@.ready<true)]}'), /invalid type for comparison/);
});

test('range repeats its body per value; end outside a range fails', () => {
  assert.deepEqual(find('{range .items[*]}{.name}{","}{end}'), [['a'], [','], ['b'], [','], ['c'], [',']]);
  assert.throws(() => find('{end}'), /not in range, nothing to end/);
});

test('missing keys fail unless allowed; indexes are bounded', () => {
  assert.throws(() => find('{.nothing}'), (err) => err instanceof JsonPathError && err.message === 'nothing is not found');
  assert.deepEqual(find('{.nothing}', { allowMissingKeys: true }), [[]]);
  assert.throws(() => find('{.items[5]}'), /array index out of bounds: index 5, length 3/);
  assert.throws(() => find('{.items[0].name[0]}'), /string is not array or slice/);
  assert.throws(() => find('{.items[::0]}'), /step must be > 0/);
});

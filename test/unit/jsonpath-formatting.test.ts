// JSONPath formatting alone: results printed as kubectl prints them, Go's Sprint, %v of floats,
// %#v and strconv.Quote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoFloat, formatResults, formatResultsAsJson, goQuote, goSprint, goSyntax } from '../../src/api/printers/jsonpath/formatting.js';

test('an action\'s results: scalars as Go prints them, maps and lists as compact JSON, spaces between', () => {
  assert.equal(formatResults(['a', 1, 2.5, true, null, { b: [1] }, [], new GoFloat(1)]), 'a 1 2.5 true null {"b":[1]} [] 1');
  assert.equal(formatResultsAsJson(['a', new GoFloat(1.5)]), '[\n    "a",\n    1.5\n]\n');
});

test('Go\'s Sprint and %v of floats', () => {
  assert.equal(goSprint({ b: [1, 'x'], a: null }), 'map[a:<nil> b:[1 x]]');
  assert.equal(goSprint(1500000.5), '1.5000005e+06');
  assert.equal(goSprint(0.00001), '1e-05');
  assert.equal(goSprint(0.5), '0.5');
  assert.equal(goSprint(new GoFloat(2)), '2');
});

test('Go\'s %#v and strconv.Quote', () => {
  assert.equal(goQuote('a"b\\\n\x01'), '"a\\"b\\\\\\n\\x01"');
  assert.equal(goSyntax({ k: ['v', 1], n: null }), 'map[string]interface {}{"k":[]interface {}{"v", 1}, "n":interface {}(nil)}');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { sameJSON } from '../../src/api/same-json.js';

/** What sameJSON must agree with: the stored forms, deep-compared. */
const stored = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const reference = (a: unknown, b: unknown) => isDeepStrictEqual(stored(a), stored(b));

test('equal as stored JSON: key order, left-out values, -0, non-finite numbers and toJSON count as JSON counts them', () => {
  const cases: [unknown, unknown, boolean][] = [
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: 1, f: () => 0 }, { a: 1 }, true],
    [[1, undefined], [1, null], true],
    [[1, undefined], [1], false],
    [{ a: -0 }, { a: 0 }, true],
    [{ a: NaN }, { a: null }, true],
    [{ a: Infinity }, { a: null }, true],
    [{ a: null }, {}, false],
    [{ a: 1 }, { a: '1' }, false],
    [{ a: [] }, { a: {} }, false],
    [{ a: {} }, {}, false],
    [{ t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' }, true],
    [{ t: new Date(0) }, { t: new Date(1) }, false],
    [undefined, undefined, true],
    [undefined, null, false],
    [{ a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } }, false],
    [{ a: 1, b: 2 }, { a: 1, c: 2 }, false],
  ];
  for (const [a, b, same] of cases) {
    assert.equal(sameJSON(a, b), same, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(sameJSON(b, a), same, 'symmetric');
    assert.equal(reference(a, b), same, 'the reference agrees');
  }
});

test('agrees with the stored forms on many generated objects and their small changes', () => {
  let seed = 7;
  const rand = (n: number) => Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 15) % n;
  const leaves = [0, -0, 1, 'a', '', null, true, false, undefined, NaN];
  const gen = (depth: number): unknown => {
    const k = rand(depth > 2 ? 1 : 4);
    if (k === 0) return leaves[rand(leaves.length)];
    if (k === 1) return Array.from({ length: rand(3) }, () => gen(depth + 1));
    return Object.fromEntries(Array.from({ length: rand(4) }, (_, i) => [`k${rand(5)}${i % 2}`, gen(depth + 1)]));
  };
  const tweak = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return rand(3) === 0 ? leaves[rand(leaves.length)] : v;
    if (Array.isArray(v)) return rand(4) === 0 ? [...v, gen(2)] : v.map(tweak);
    const entries = Object.entries(v).map(([k, x]) => [k, tweak(x)] as [string, unknown]);
    if (rand(4) === 0) entries.reverse();
    if (rand(6) === 0) entries.push([`k${rand(5)}`, gen(2)]);
    return Object.fromEntries(entries);
  };
  let same = 0;
  for (let i = 0; i < 5000; i++) {
    const a = gen(0);
    const b = rand(2) ? tweak(a) : structuredClone(a);
    assert.equal(sameJSON(a, b), reference(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    if (reference(a, b)) same++;
  }
  assert.ok(same > 1000 && same < 4000, `both outcomes are exercised (${same} equal)`);
});

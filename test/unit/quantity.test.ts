import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Quantity } from '../../src/api/quantity.js';

test('quantities parse with binary, decimal and exponent suffixes, exactly to the nano', () => {
  const cases: [string | number, bigint | undefined][] = [
    ['1', 1_000_000_000n],
    ['1.5', 1_500_000_000n],
    ['250m', 250_000_000n],
    ['1Ki', 1024n * 1_000_000_000n],
    ['2Gi', 2n * 2n ** 30n * 1_000_000_000n],
    ['1k', 1000n * 1_000_000_000n],
    ['1E', 10n ** 27n],
    ['1e3', 1000n * 1_000_000_000n],
    ['-2', -2_000_000_000n],
    [' 1 ', 1_000_000_000n],
    [0.25, 250_000_000n],
    ['abc', undefined],
    ['1Kb', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(Quantity.parse(text)?.nanos, expected, String(text));
});

test('quantities compare by amount, whatever their suffixes', () => {
  const q = (s: string) => Quantity.parse(s)!;
  assert.equal(q('1').cmp(q('1000m')), 0);
  assert.equal(q('900Mi').cmp(q('1Gi')), -1);
  assert.equal(q('1G').cmp(q('900Mi')), 1);
  // Decimal fractions add up exactly, as Kubernetes' sums of requests do.
  assert.equal(q('0.1').add(q('0.2')).cmp(q('0.3')), 0);
});

test('prints quantities in canonical form', () => {
  const cases: Array<[string | number, string]> = [
    ['0.5', '500m'],
    ['1000m', '1'],
    ['1.5', '1500m'],
    [2, '2'],
    ['1000', '1k'],
    ['100M', '100M'],
    ['1.5Gi', '1536Mi'],
    ['2048Ki', '2Mi'],
    ['0.5Ki', '512'],
    ['1025Ki', '1025Ki'],
    ['1e3', '1e3'],
    ['12e1', '120'],
    ['1n', '1n'],
    ['0.1n', '1n'],
    ['-1.5', '-1500m'],
    ['0', '0'],
  ];
  for (const [input, expected] of cases) assert.equal(Quantity.parse(input)?.toString(), expected, String(input));
  for (const invalid of ['', 'abc', '1Q', '1.2.3']) assert.equal(Quantity.parse(invalid), undefined, invalid);
});

test('adds quantities in the format of the first non-zero one, and rounds values up', () => {
  const q = (s: string) => Quantity.parse(s)!;
  assert.equal(q('320Mi').add(q('100M')).add(q('100M')).toString(), '535544320');
  assert.equal(Quantity.ZERO.add(q('100M')).toString(), '100M');
  assert.equal(q('1').add(q('500m')).toString(), '1500m');
  assert.equal(q('1.5m').milliValue(), 2n);
  assert.equal(q('0.5').value(), 1n);
  assert.equal(q('256Mi').value(), 268435456n);
});

test('an exponent needs its digits: "1e" is no quantity, "1e3" is', () => {
  assert.equal(Quantity.parse('1e'), undefined);
  assert.equal(Quantity.parse('1e3')?.toString(), '1e3');
  assert.equal(Quantity.parse('1E')?.toString(), '1E');
});

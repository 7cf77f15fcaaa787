import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationBetween, humanDuration, timestampSince } from '../../src/api/printers/duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration keeps 2-3 significant figures as Kubernetes does', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    // Up to a second in the future is clock skew, not an error.
    [-1.5 * S, '0s'],
    [-0.5 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 30 * S, '2m30s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 59 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 20 * M + 40 * S, '3h20m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [3 * D + 4 * H, '3d4h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [2 * 365 * D + 30 * D, '2y30d'],
    [7 * 365 * D + 364 * D, '7y364d'],
    [8 * 365 * D + 100 * D, '8y'],
  ];
  for (const [ms, expected] of cases) assert.equal(humanDuration(ms), expected, `${ms}ms`);
});

test('timestampSince ages an RFC 3339 time, <unknown> without one', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  assert.equal(timestampSince('2024-05-01T11:57:30Z', now), '2m30s');
  assert.equal(timestampSince('2024-04-28T08:00:00Z', now), '3d4h');
  assert.equal(timestampSince(undefined, now), '<unknown>');
  assert.equal(timestampSince(null, now), '<unknown>');
  assert.equal(timestampSince('', now), '<unknown>');
  assert.equal(timestampSince('not a time', now), '<unknown>');
});

test('durationBetween measures from start to end', () => {
  assert.equal(durationBetween('2024-05-01T12:00:00Z', '2024-05-01T12:00:40Z'), '40s');
  assert.equal(durationBetween('2024-05-01T12:00:00Z', '2024-05-01T15:05:00Z'), '3h5m');
});

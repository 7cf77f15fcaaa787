import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, shouldReduce, type ReducerState } from '../../src/apiserver/memory/idle-memory-reducer.js';

const MB = 1024 * 1024;
const s = DEFAULT_SETTINGS;

function state(): ReducerState {
  return { idleRun: 0, baselineBytes: 100 * MB, lastReducedAt: 0 };
}

test('a grown heap is reduced only after enough idle intervals in a row', () => {
  const st = state();
  const grown = { utilization: 0.01, heapBytes: 140 * MB, now: 60_000 };
  assert.equal(shouldReduce(st, grown, s), false, 'one idle interval is a pause between requests');
  assert.equal(shouldReduce(st, grown, s), true);
});

test('a busy interval starts the idle run over', () => {
  const st = state();
  assert.equal(shouldReduce(st, { utilization: 0.01, heapBytes: 140 * MB, now: 60_000 }, s), false);
  assert.equal(shouldReduce(st, { utilization: 0.5, heapBytes: 140 * MB, now: 61_000 }, s), false);
  assert.equal(shouldReduce(st, { utilization: 0.01, heapBytes: 140 * MB, now: 62_000 }, s), false);
  assert.equal(shouldReduce(st, { utilization: 0.01, heapBytes: 140 * MB, now: 63_000 }, s), true);
});

test('an idle daemon whose heap has not grown past the threshold is left alone', () => {
  const st = state();
  for (let i = 0; i < 10; i++) assert.equal(shouldReduce(st, { utilization: 0, heapBytes: 100 * MB + s.growthBytes - 1, now: 60_000 + i * 1000 }, s), false);
});

test('reductions are at least minGapMs apart', () => {
  const st = { ...state(), lastReducedAt: 50_000 };
  const sample = (now: number) => ({ utilization: 0, heapBytes: 200 * MB, now });
  shouldReduce(st, sample(51_000), s);
  assert.equal(shouldReduce(st, sample(52_000), s), false);
  assert.equal(shouldReduce(st, sample(50_000 + s.minGapMs), s), true);
});

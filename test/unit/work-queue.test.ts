import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/api/work-queue.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test('keys added while queued are processed once', async () => {
  const seen: string[] = [];
  const q = new WorkQueue(async (k) => void seen.push(k), undefined, { workers: 1 });
  q.add('a');
  q.add('b');
  q.add('b');
  q.add('a');
  await tick(20);
  assert.deepEqual(seen.sort(), ['a', 'a', 'b']);
});

test('a key is never processed by two workers at once; one added meanwhile runs again after', async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const q = new WorkQueue(
    async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      await tick(10);
      running--;
    },
    undefined,
    { workers: 4 },
  );
  q.add('k');
  await tick(1);
  q.add('k');
  q.add('k');
  await tick(50);
  assert.equal(maxRunning, 1);
  assert.equal(runs, 2);
});

test('a failing key is retried with growing delays until it succeeds', async () => {
  const times: number[] = [];
  const errors: string[] = [];
  const q = new WorkQueue(
    async () => {
      times.push(Date.now());
      if (times.length < 4) throw new Error('not yet');
    },
    (key, err) => errors.push(`${key}: ${(err as Error).message}`),
    { baseDelayMs: 10 },
  );
  q.add('x');
  await tick(200);
  assert.equal(times.length, 4);
  assert.equal(errors.length, 3);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  assert.ok(gaps[2] >= gaps[0], `delays grow: ${gaps.join(', ')}`);
  q.stop();
});

test('of two delays for one key the earlier wins', async () => {
  const seen: number[] = [];
  const start = Date.now();
  const q = new WorkQueue(async () => void seen.push(Date.now() - start), undefined, { workers: 1 });
  q.addAfter('a', 10_000);
  q.addAfter('a', 20);
  q.addAfter('a', 5_000);
  await tick(80);
  q.stop();
  assert.equal(seen.length, 1);
  assert.ok(seen[0] < 80);
});

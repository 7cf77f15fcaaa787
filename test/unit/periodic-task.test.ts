import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeriodicTask } from '../../src/nodeagent/periodic.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runNow runs the task at once instead of at its next time, and once more when asked during a run', async () => {
  let runs = 0;
  let release: (() => void) | undefined;
  const task = new PeriodicTask(60_000, async () => {
    runs++;
    if (runs === 2) await new Promise<void>((r) => (release = r));
  }, () => {});
  task.start();
  await sleep(20);
  assert.equal(runs, 1, 'the first run, then nothing for a minute');
  task.runNow();
  await sleep(20);
  assert.equal(runs, 2, 'run at once');
  task.runNow(); // during the second run
  release!();
  await sleep(20);
  assert.equal(runs, 3, 'run again right after the run it was asked during');
  await sleep(20);
  assert.equal(runs, 3, 'then back on its schedule');
  await task.stop();
  task.runNow();
  await sleep(20);
  assert.equal(runs, 3, 'nothing after stop');
});

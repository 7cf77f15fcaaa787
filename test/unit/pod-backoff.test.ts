import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextBackOffMs, shouldRestart, type RestartPolicy } from '../../src/nodeagent/pods/crash-loop-backoff.js';

test('restart policy decides by exit code', () => {
  const cases: [RestartPolicy, number, boolean][] = [
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 3, true],
    ['Never', 0, false],
    ['Never', 3, false],
  ];
  for (const [policy, code, want] of cases) assert.equal(shouldRestart(policy, code), want, `${policy} ${code}`);
});

test('CrashLoopBackOff: 10 s doubling to 300 s, reset after 10 minutes running', () => {
  const delays: number[] = [];
  let d: number | undefined;
  for (let i = 0; i < 8; i++) delays.push((d = nextBackOffMs(d, 1000)));
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  assert.equal(nextBackOffMs(300_000, 600_000), 10_000);
  assert.equal(nextBackOffMs(40_000, 599_999), 80_000);
});

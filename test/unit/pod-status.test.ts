import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerInspect } from '../../src/nodeagent/docker/types.js';
import { computePodStatus, goDuration, type ContainerRuns } from '../../src/nodeagent/pods/pod-status.js';
import { pod, TEST_IMAGE } from '../helpers/builders.js';

const NOW = new Date('2026-01-01T00:01:00.500Z');

/** The pod web with one container of each name. */
function web(restartPolicy = 'Always', names = ['app']): Pod {
  return pod('web', { metadata: { namespace: 'default', uid: 'u-1' }, spec: { restartPolicy, containers: names.map((name) => ({ name, image: TEST_IMAGE })) } }) as Pod;
}

function inspect(id: string, state: Partial<ContainerInspect['State']>, run = 0, ip = ''): ContainerInspect {
  return {
    Id: id,
    Image: 'sha256:abc',
    State: { Status: 'running', Running: true, OOMKilled: false, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:00.123Z', FinishedAt: '0001-01-01T00:00:00Z', ...state },
    Config: { Image: 'busybox:1.35', Labels: { 'io.kubernetes.container.restartCount': String(run) } },
    NetworkSettings: { Networks: ip ? { kctl0: { IPAddress: ip } } : {} },
  } as unknown as ContainerInspect;
}

const sandbox = inspect('sb', {}, 0, '10.244.0.7');
const exited = (code: number, extra: Partial<ContainerInspect['State']> = {}, run = 0) =>
  inspect(`c${run}`, { Status: 'exited', Running: false, ExitCode: code, FinishedAt: '2026-01-01T00:00:30Z', ...extra }, run);

function status(p: Pod, containers: Record<string, ContainerRuns>, withSandbox = true) {
  return computePodStatus(p, { sandbox: withSandbox ? sandbox : undefined, containers, hostIP: '127.0.0.1', now: NOW });
}

test('nothing created yet: Pending, ContainerCreating, not ready, no podIP', () => {
  const s = status(web(), {}, false);
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses![0].state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(s.podIP, undefined);
  const ready = s.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'False');
  assert.equal(ready.reason, 'ContainersNotReady');
  assert.equal(ready.message, 'containers with unready status: [app]');
  assert.deepEqual(s.conditions!.map((c) => c.type), ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  assert.equal(s.startTime, '2026-01-01T00:01:00Z');
});

test('running: Running, ready, podIP of the sandbox, hostIP', () => {
  const s = status(web(), { app: { current: inspect('c0', {}) } });
  assert.equal(s.phase, 'Running');
  assert.equal(s.podIP, '10.244.0.7');
  assert.deepEqual(s.podIPs, [{ ip: '10.244.0.7' }]);
  assert.equal(s.hostIP, '127.0.0.1');
  const c = s.containerStatuses![0];
  assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:00Z' } });
  assert.equal(c.ready, true);
  assert.equal(c.containerID, 'docker://c0');
  assert.ok(s.conditions!.every((x) => x.status === 'True'));
});

const terminal: { name: string; policy: string; code: number; oom?: boolean; phase: string; reason: string }[] = [
  { name: 'exit 3, Never', policy: 'Never', code: 3, phase: 'Failed', reason: 'Error' },
  { name: 'exit 0, Never', policy: 'Never', code: 0, phase: 'Succeeded', reason: 'Completed' },
  { name: 'exit 0, OnFailure', policy: 'OnFailure', code: 0, phase: 'Succeeded', reason: 'Completed' },
  { name: 'OOM, Never', policy: 'Never', code: 137, oom: true, phase: 'Failed', reason: 'OOMKilled' },
];
for (const t of terminal) {
  test(`terminated: ${t.name} → ${t.phase}, ${t.reason}`, () => {
    const s = status(web(t.policy), { app: { current: exited(t.code, { OOMKilled: t.oom ?? false }) } });
    assert.equal(s.phase, t.phase);
    const term = s.containerStatuses![0].state!.terminated!;
    assert.equal(term.exitCode, t.code);
    assert.equal(term.reason, t.reason);
    assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.reason, 'PodCompleted');
  });
}

test('backing off: CrashLoopBackOff, last state, restart count, phase Running', () => {
  const s = status(web('Always'), { app: { current: exited(1, {}, 2), previous: exited(1, {}, 1), backOffMs: 40_000 } });
  assert.equal(s.phase, 'Running');
  const c = s.containerStatuses![0];
  assert.deepEqual(c.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=web_default(u-1)' } });
  assert.equal(c.lastState!.terminated!.exitCode, 1);
  assert.equal(c.lastState!.terminated!.containerID, 'docker://c2');
  assert.equal(c.restartCount, 2);
});

test('one of two running: Pending, one ready', () => {
  const s = status(web('Always', ['a', 'b']), { a: { current: inspect('a0', {}) } });
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses!.map((c) => c.ready), [true, false]);
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.message, 'containers with unready status: [b]');
});

test('transition times move only when a condition flips', () => {
  const p: Pod = { ...web(), status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }, { type: 'Initialized', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z' }] } };
  const s = status(p, { app: { current: inspect('c0', {}) } });
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime, '2025-01-01T00:00:00Z');
  assert.equal(s.conditions!.find((c) => c.type === 'Initialized')!.lastTransitionTime, '2026-01-01T00:01:00Z');
});

test('Go durations', () => {
  assert.deepEqual([10_000, 80_000, 300_000, 3_600_000].map(goDuration), ['10s', '1m20s', '5m0s', '1h0m0s']);
});

// The kubelet's probe state machine, its timer loop on a fake clock, and what the results mean
// for the container's and the pod's status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerInspect } from '../../src/nodeagent/docker/types.js';
import { computePodStatus } from '../../src/nodeagent/pods/pod-status.js';
import { probeKillGraceSeconds, probeKillMessage } from '../../src/nodeagent/pods/probes/probe-kill.js';
import { ProbeState, probeTiming, probedStatus, type ProbeKind, type ProbeTiming } from '../../src/nodeagent/pods/probes/probe-state.js';
import { ProbeWorker } from '../../src/nodeagent/pods/probes/probe-worker.js';
import { FakeClock } from '../helpers/fake-clock.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const timing = (t: Partial<ProbeTiming> = {}): ProbeTiming => ({ ...probeTiming({}), ...t });

test("probe timing: Kubernetes' defaults, 0 meaning unset", () => {
  assert.deepEqual(probeTiming({}), { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(probeTiming({ periodSeconds: 0, timeoutSeconds: 5, failureThreshold: 1, initialDelaySeconds: 3 }), {
    initialDelaySeconds: 3,
    periodSeconds: 10,
    timeoutSeconds: 5,
    successThreshold: 1,
    failureThreshold: 1,
  });
});

test('initial results: readiness failure, liveness success, startup unknown', () => {
  const initial = (kind: ProbeKind) => new ProbeState(kind, timing(), T0).result;
  assert.equal(initial('readiness'), 'failure');
  assert.equal(initial('liveness'), 'success');
  assert.equal(initial('startup'), 'unknown');
});

test('initial delay in whole seconds of the container age', () => {
  const s = new ProbeState('readiness', timing({ initialDelaySeconds: 5 }), T0);
  assert.equal(s.decide(T0, true), 'wait');
  assert.equal(s.decide(T0 + 4999, true), 'wait');
  assert.equal(s.decide(T0 + 5000, true), 'probe');
});

test('liveness and readiness wait for the startup probe; startup stops once started', () => {
  for (const kind of ['liveness', 'readiness'] as const) {
    const s = new ProbeState(kind, timing(), T0);
    assert.equal(s.decide(T0, false), 'wait', kind);
    assert.equal(s.decide(T0, true), 'probe', kind);
  }
  const startup = new ProbeState('startup', timing(), T0);
  assert.equal(startup.decide(T0, false), 'probe');
  assert.equal(startup.decide(T0, true), 'stop');
});

test('thresholds: the result changes only after a run of that many', () => {
  const s = new ProbeState('readiness', timing({ successThreshold: 2, failureThreshold: 3 }), T0);
  assert.equal(s.record('success'), false);
  assert.equal(s.result, 'failure');
  assert.equal(s.record('success'), true);
  assert.equal(s.result, 'success');
  assert.equal(s.record('failure'), false);
  assert.equal(s.record('success'), false, 'a success breaks the failure run');
  assert.equal(s.record('failure'), false);
  assert.equal(s.record('failure'), false);
  assert.equal(s.record('failure'), true);
  assert.equal(s.result, 'failure');
  assert.equal(s.decide(T0 + 60_000, true), 'probe', 'readiness keeps probing after failing');
});

test('a failed liveness or startup probe stops probing the container', () => {
  for (const kind of ['liveness', 'startup'] as const) {
    const s = new ProbeState(kind, timing({ failureThreshold: 2 }), T0);
    assert.equal(s.record('failure'), false);
    assert.equal(s.record('failure'), true);
    assert.equal(s.result, 'failure');
    assert.equal(s.decide(T0 + 60_000, kind === 'liveness'), 'stop', kind);
  }
});

test('probed status: started and ready as the kubelet maps the results', () => {
  assert.deepEqual(probedStatus(undefined, undefined), { started: true, ready: true });
  assert.deepEqual(probedStatus(undefined, 'failure'), { started: true, ready: false });
  assert.deepEqual(probedStatus(undefined, 'success'), { started: true, ready: true });
  assert.deepEqual(probedStatus('unknown', undefined), { started: false, ready: false });
  assert.deepEqual(probedStatus('unknown', 'success'), { started: false, ready: false });
  assert.deepEqual(probedStatus('success', 'failure'), { started: true, ready: false });
  assert.deepEqual(probedStatus('success', undefined), { started: true, ready: true });
});

function running(id: string): ContainerInspect {
  return {
    Id: id,
    Image: 'sha256:abc',
    State: { Status: 'running', Running: true, OOMKilled: false, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' },
    Config: { Image: 'busybox:1.35', Labels: {} },
    NetworkSettings: { Networks: {} },
  } as unknown as ContainerInspect;
}

test('pod status: an unready probe makes the container and the pod not ready', () => {
  const p = { metadata: { name: 'web', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'app' }, { name: 'side' }] } } as Pod;
  const now = new Date(T0 + 1000);
  const s = computePodStatus(p, { containers: { app: { current: running('a'), ready: false }, side: { current: running('b') } }, hostIP: '127.0.0.1', now });
  assert.deepEqual(s.containerStatuses!.map((c) => [c.name, c.started, c.ready]), [['app', true, false], ['side', true, true]]);
  const ready = s.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'False');
  assert.equal(ready.message, 'containers with unready status: [app]');
  assert.equal(s.phase, 'Running');

  const notStarted = computePodStatus(p, { containers: { app: { current: running('a'), started: false, ready: true }, side: { current: running('b') } }, hostIP: '127.0.0.1', now });
  assert.deepEqual([notStarted.containerStatuses![0].started, notStarted.containerStatuses![0].ready], [false, false]);

  const ok = computePodStatus(p, { containers: { app: { current: running('a'), started: true, ready: true }, side: { current: running('b') } }, hostIP: '127.0.0.1', now });
  assert.ok(ok.conditions!.every((c) => c.status === 'True'));
});

test("the Killing message and grace period of a probe's kill", () => {
  const p = (restartPolicy: string, grace?: number) => ({ spec: { restartPolicy, terminationGracePeriodSeconds: grace, containers: [] } }) as unknown as Pod;
  assert.equal(probeKillMessage(p('Always'), 'app', 'liveness'), 'Container app failed liveness probe, will be restarted');
  assert.equal(probeKillMessage(p('OnFailure'), 'app', 'startup'), 'Container app failed startup probe, will be restarted');
  assert.equal(probeKillMessage(p('Never'), 'app', 'liveness'), 'Container app failed liveness probe');
  assert.equal(probeKillGraceSeconds(p('Always'), { name: 'app' }, 'liveness'), 30);
  assert.equal(probeKillGraceSeconds(p('Always', 5), { name: 'app' }, 'liveness'), 5);
  assert.equal(probeKillGraceSeconds(p('Always', 0), { name: 'app' }, 'liveness'), 0);
  const withProbeGrace = { name: 'app', livenessProbe: { terminationGracePeriodSeconds: 7 } };
  assert.equal(probeKillGraceSeconds(p('Always', 60), withProbeGrace, 'liveness'), 7);
  assert.equal(probeKillGraceSeconds(p('Always', 60), withProbeGrace, 'startup'), 60);
});

function worker(kind: ProbeKind, t: Partial<ProbeTiming>, outcomes: ('success' | 'failure' | undefined)[], started = () => true) {
  const clock = new FakeClock(T0);
  const probedAt: number[] = [];
  const changes: string[] = [];
  const w = new ProbeWorker(new ProbeState(kind, timing(t), T0), {
    clock,
    probe: async () => {
      probedAt.push((clock.now() - T0) / 1000);
      return outcomes.length > 0 ? outcomes.shift() : 'success';
    },
    started,
    onChange: (r) => changes.push(`${(clock.now() - T0) / 1000}:${r}`),
  });
  return { clock, w, probedAt, changes };
}

test('worker: probes at once, then every period; the result flips at the thresholds', async () => {
  const { clock, w, probedAt, changes } = worker('readiness', { periodSeconds: 1, failureThreshold: 2 }, ['failure', 'success', 'failure', 'failure', 'success']);
  w.start();
  await clock.advance(4500);
  assert.deepEqual(probedAt, [0, 1, 2, 3, 4]);
  assert.deepEqual(changes, ['1:success', '3:failure', '4:success']);
  w.stop();
  await clock.advance(5000);
  assert.equal(probedAt.length, 5);
  assert.equal(clock.pending, 0);
});

test('worker: nothing before the initial delay; an errored run is not counted', async () => {
  const { clock, w, probedAt, changes } = worker('readiness', { periodSeconds: 2, initialDelaySeconds: 3 }, [undefined, 'success']);
  w.start();
  await clock.advance(3999);
  assert.deepEqual(probedAt, []);
  await clock.advance(1);
  assert.deepEqual(probedAt, [4]);
  assert.deepEqual(changes, []);
  await clock.advance(2000);
  assert.deepEqual(changes, ['6:success']);
  w.stop();
});

test('worker: liveness stops after the failure that reaches the threshold', async () => {
  const { clock, w, probedAt, changes } = worker('liveness', { periodSeconds: 1, failureThreshold: 1 }, ['success', 'success', 'failure']);
  w.start();
  await clock.advance(10_000);
  assert.deepEqual(probedAt, [0, 1, 2]);
  assert.deepEqual(changes, ['2:failure']);
  assert.equal(clock.pending, 0);
});

test('worker: readiness waits for the startup probe, and a trigger probes at once', async () => {
  let started = false;
  const { clock, w, probedAt } = worker('readiness', { periodSeconds: 10 }, [], () => started);
  w.start();
  await clock.advance(15_000);
  assert.deepEqual(probedAt, []);
  started = true;
  w.trigger();
  await clock.advance(0);
  assert.deepEqual(probedAt, [15]);
  await clock.advance(10_000);
  assert.deepEqual(probedAt, [15, 25]);
  w.stop();
});

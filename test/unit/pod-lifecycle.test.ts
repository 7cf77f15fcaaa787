// The pure parts of a pod's life on the node agent: init container sequencing, status and phase
// while initializing, image pull policy and back-off, securityContext and resources → Docker, and
// the restart back-off recorded on the runs themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerInspect } from '../../src/nodeagent/docker/types.js';
import { containerConfig } from '../../src/nodeagent/pods/containers.js';
import { milliCpuToShares, resourceSettings } from '../../src/nodeagent/pods/container-resources.js';
import { initRunState, pendingRestart, restartPolicyOf } from '../../src/nodeagent/pods/container-runs.js';
import { goMillis } from '../../src/nodeagent/pods/image-puller.js';
import { PullBackOff, shouldPull } from '../../src/nodeagent/pods/image-pull-policy.js';
import { splitImage } from '../../src/api/images.js';
import { initRestartPolicy, nextInitStep, type InitRunState } from '../../src/nodeagent/pods/init-containers.js';
import { computePodStatus, type ContainerRuns } from '../../src/nodeagent/pods/pod-status.js';
import { effectiveSecurityContext, securitySettings, securityViolation } from '../../src/nodeagent/pods/security-context.js';

const NOW = new Date('2026-01-01T00:01:00Z');

function run(id: string, state: Partial<ContainerInspect['State']>, labels: Record<string, string> = {}): ContainerInspect {
  return {
    Id: id,
    Image: 'sha256:abc',
    State: { Status: 'running', Running: true, OOMKilled: false, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z', ...state },
    Config: { Image: 'busybox:1.35', Labels: { 'io.kubernetes.container.restartCount': '0', ...labels } },
    NetworkSettings: { Networks: {} },
  } as unknown as ContainerInspect;
}
const exited = (id: string, code: number, labels: Record<string, string> = {}, finishedAt = '2026-01-01T00:00:05Z') =>
  run(id, { Status: 'exited', Running: false, ExitCode: code, FinishedAt: finishedAt }, labels);

function initPod(restartPolicy = 'Always'): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'u-1' },
    spec: {
      restartPolicy,
      initContainers: [
        { name: 'a', image: 'busybox:1.35' },
        { name: 'b', image: 'busybox:1.35' },
      ],
      containers: [{ name: 'app', image: 'busybox:1.35' }],
    },
  } as Pod;
}

const status = (p: Pod, containers: Record<string, ContainerRuns>) => computePodStatus(p, { containers, hostIP: '127.0.0.1', now: NOW });

test('init containers: one at a time in order; a failure ends the pod only with restartPolicy Never', () => {
  const cases: [Record<string, InitRunState>, string, string][] = [
    [{}, 'Always', 'run a'],
    [{ a: 'active' }, 'Always', 'run a'],
    [{ a: 'succeeded' }, 'Always', 'run b'],
    [{ a: 'failed' }, 'Always', 'run a'],
    [{ a: 'failed' }, 'OnFailure', 'run a'],
    [{ a: 'failed' }, 'Never', 'failed a'],
    [{ a: 'succeeded', b: 'failed' }, 'Never', 'failed b'],
    [{ a: 'succeeded', b: 'succeeded' }, 'Never', 'done'],
  ];
  for (const [states, policy, want] of cases) {
    const step = nextInitStep([{ name: 'a' }, { name: 'b' }], (n) => states[n] ?? 'none', policy as 'Always');
    assert.equal(step.kind === 'done' ? 'done' : `${step.kind} ${step.name}`, want, JSON.stringify([states, policy]));
  }
  // A sidecar only has to run for the next one to start; one that exited runs again first.
  const withSidecar = [{ name: 's', restartPolicy: 'Always' }, { name: 'a' }];
  const sidecarStep = (s: InitRunState, a: InitRunState) => nextInitStep(withSidecar, (n) => (n === 's' ? s : a), 'Never');
  assert.deepEqual(sidecarStep('none', 'none'), { kind: 'run', name: 's' });
  assert.deepEqual(sidecarStep('active', 'none'), { kind: 'run', name: 'a' });
  assert.deepEqual(sidecarStep('failed', 'none'), { kind: 'run', name: 's' });
  assert.deepEqual(sidecarStep('active', 'succeeded'), { kind: 'done' });
  assert.equal(initRestartPolicy('Always'), 'OnFailure');
  assert.equal(initRestartPolicy('Never'), 'Never');
  assert.equal(initRunState(undefined), 'none');
  assert.equal(initRunState(run('x', {})), 'active');
  assert.equal(initRunState(exited('x', 0)), 'succeeded');
  assert.equal(initRunState(exited('x', 1)), 'failed');
});

test('initializing: Pending, Initialized False naming the incomplete ones, PodInitializing for the rest', () => {
  const s = status(initPod(), { a: { current: run('a0', {}) } });
  assert.equal(s.phase, 'Pending');
  const init = s.conditions!.find((c) => c.type === 'Initialized')!;
  assert.deepEqual([init.status, init.reason, init.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [a b]']);
  assert.deepEqual(s.initContainerStatuses!.map((c) => Object.keys(c.state!)[0]), ['running', 'waiting']);
  assert.equal(s.initContainerStatuses![1].state!.waiting!.reason, 'PodInitializing');
  assert.equal(s.containerStatuses![0].state!.waiting!.reason, 'PodInitializing');
  assert.equal(s.initContainerStatuses![0].ready, false);
});

test('all init containers succeeded: Initialized True, completed ones ready, the app runs', () => {
  const s = status(initPod(), { a: { current: exited('a0', 0) }, b: { current: exited('b0', 0) }, app: { current: run('c0', {}) } });
  assert.equal(s.phase, 'Running');
  assert.equal(s.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
  assert.deepEqual(s.initContainerStatuses!.map((c) => [c.state!.terminated!.reason, c.ready]), [['Completed', true], ['Completed', true]]);
});

test('a failed init container: Failed with Never, Pending in CrashLoopBackOff otherwise', () => {
  const never = status(initPod('Never'), { a: { current: exited('a0', 2) } });
  assert.equal(never.phase, 'Failed');
  assert.equal(never.initContainerStatuses![0].state!.terminated!.reason, 'Error');
  const always = status(initPod(), { a: { current: exited('a0', 2), backOffMs: 10_000 } });
  assert.equal(always.phase, 'Pending');
  assert.equal(always.initContainerStatuses![0].state!.waiting!.reason, 'CrashLoopBackOff');
  assert.equal(always.initContainerStatuses![0].lastState!.terminated!.exitCode, 2);
});

test('image pull: policies, names split for Docker, 10 s back-off doubling to 300 s', () => {
  assert.deepEqual(
    [shouldPull('Always', true), shouldPull('IfNotPresent', true), shouldPull('IfNotPresent', false), shouldPull('Never', false)],
    [true, false, true, false],
  );
  assert.deepEqual(splitImage('busybox:1.35'), { repository: 'busybox', tag: '1.35' });
  assert.deepEqual(splitImage('busybox'), { repository: 'busybox', tag: 'latest' });
  assert.deepEqual(splitImage('127.0.0.1:1/missing:1.0'), { repository: '127.0.0.1:1/missing', tag: '1.0' });
  assert.deepEqual(splitImage('127.0.0.1:5000/x'), { repository: '127.0.0.1:5000/x', tag: 'latest' });
  assert.deepEqual(splitImage('x@sha256:ab'), { repository: 'x', tag: 'sha256:ab' });
  let now = 0;
  const b = new PullBackOff(() => now);
  assert.equal(b.remainingMs('k'), 0);
  const delays = [];
  for (let i = 0; i < 7; i++) delays.push(b.failed('k'));
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  now = 100_000;
  assert.equal(b.remainingMs('k'), 200_000);
  now = 1_000_000;
  assert.equal(b.failed('k'), 10_000, 'an entry untouched for twice the maximum starts over');
  b.forget((k) => k === 'k');
  assert.equal(b.remainingMs('k'), 0);
  assert.deepEqual([goMillis(523.9), goMillis(1200), goMillis(1234), goMillis(63_050)], ['523ms', '1.2s', '1.234s', '1m3.05s']);
});

const secPod = (podSc: object, sc: object): [Pod, Container] => {
  const container = { name: 'app', image: 'busybox:1.35', securityContext: sc } as Container;
  return [{ metadata: { name: 'web', namespace: 'default', uid: 'u-1' }, spec: { securityContext: podSc, containers: [container] } } as Pod, container];
};

test('securityContext: the container wins over the pod; user, groups, read-only root, capabilities, no-new-privileges', () => {
  const [p, c] = secPod(
    { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000, runAsNonRoot: true },
    { runAsUser: 1001, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, allowPrivilegeEscalation: false },
  );
  assert.deepEqual(effectiveSecurityContext(p, c).runAsUser, 1001);
  assert.deepEqual(securitySettings(p, c), {
    User: '1001:3000',
    GroupAdd: ['4000', '2000'],
    ReadonlyRootfs: true,
    CapAdd: ['NET_ADMIN'],
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
  });
  const [q, d] = secPod({ runAsGroup: 5 }, {});
  assert.equal(securitySettings(q, d, 'nobody').User, 'nobody:5');
  assert.deepEqual(securitySettings(...secPod({}, {})), {});
});

test('securityContext checks: privileged needs --allow-privileged; runAsNonRoot against the image user', () => {
  const policy = { allowPrivileged: false, imageUser: '' };
  const [p, c] = secPod({}, { privileged: true });
  assert.match(securityViolation(p, c, policy)!, /^pod with UID "u-1" specified privileged container, but is disallowed \(.*--allow-privileged/);
  assert.equal(securityViolation(p, c, { ...policy, allowPrivileged: true }), undefined);
  assert.match(securityViolation(p, c, { ...policy, init: true })!, /privileged init container/);
  const [r, d] = secPod({ runAsNonRoot: true }, {});
  assert.equal(securityViolation(r, d, policy), 'container has runAsNonRoot and image will run as root (pod: "web_default(u-1)", container: app)');
  assert.equal(securityViolation(r, d, { ...policy, imageUser: '1000:1000' }), undefined);
  assert.match(securityViolation(r, d, { ...policy, imageUser: 'nobody' })!, /non-numeric user \(nobody\)/);
  const [s, e] = secPod({ runAsNonRoot: true }, { runAsUser: 0 });
  assert.match(securityViolation(s, e, policy)!, /^container's runAsUser breaks non-root policy/);
});

test('resources: limits → Memory (no swap) and NanoCpus, requests.cpu → CpuShares as the kubelet computes them', () => {
  assert.deepEqual(resourceSettings({ limits: { memory: '16Mi', cpu: '1500m' }, requests: { cpu: '250m' } }), {
    CpuShares: 256,
    Memory: 16 * 1024 * 1024,
    MemorySwap: 16 * 1024 * 1024,
    NanoCpus: 1_500_000_000,
  });
  assert.deepEqual(resourceSettings({ limits: { cpu: '2' } }), { CpuShares: 2048, NanoCpus: 2_000_000_000 });
  assert.deepEqual(resourceSettings(undefined), { CpuShares: 2 });
  assert.deepEqual([milliCpuToShares(0), milliCpuToShares(1), milliCpuToShares(100), milliCpuToShares(1000)], [2, 2, 102, 1024]);
});

test('restart back-off from the exited run alone: the delay waited before it (a label) doubles', () => {
  const p = initPod();
  assert.equal(restartPolicyOf(p, 'a'), 'OnFailure');
  assert.equal(restartPolicyOf(p, 'app'), 'Always');
  assert.equal(pendingRestart('OnFailure', exited('a0', 0)), undefined);
  assert.equal(pendingRestart('Always', run('c0', {})), undefined);
  assert.deepEqual(pendingRestart('Always', exited('c0', 1)), { delayMs: 10_000, restartAt: Date.parse('2026-01-01T00:00:15Z') });
  assert.deepEqual(pendingRestart('Always', exited('c1', 1, { 'kctl.backoff-ms': '40000' })), { delayMs: 80_000, restartAt: Date.parse('2026-01-01T00:01:25Z') });
  // Ten minutes running resets it.
  const long = exited('c2', 1, { 'kctl.backoff-ms': '300000' }, '2026-01-01T00:10:00Z');
  assert.equal(pendingRestart('Always', long)!.delayMs, 10_000);
});

test('a run config carries the back-off waited, the security settings and the resources', () => {
  const [p, c] = secPod({ runAsUser: 1000 }, { readOnlyRootFilesystem: true });
  c.resources = { limits: { memory: '64Mi' } };
  const config = containerConfig(p, c, 'sb', { node: 'n', cluster: 'k' }, 3, { env: [], mounts: [], waitedMs: 20_000 });
  assert.equal(config.Labels!['kctl.backoff-ms'], '20000');
  assert.equal(config.Labels!['io.kubernetes.container.restartCount'], '3');
  assert.equal(config.User, '1000');
  assert.equal(config.HostConfig!.ReadonlyRootfs, true);
  assert.equal(config.HostConfig!.Memory, 64 * 1024 * 1024);
  assert.equal(config.HostConfig!.NetworkMode, 'container:sb');
});

test('a sidecar (restartPolicy Always init container): running counts as initialized, ready like an app container, always restarted', () => {
  const p = initPod('Never');
  p.spec!.initContainers![0].restartPolicy = 'Always';
  assert.equal(restartPolicyOf(p, 'a'), 'Always');
  const initializing = status(p, { a: { current: run('a0', {}) }, b: { current: run('b0', {}) } });
  assert.equal(initializing.phase, 'Pending');
  assert.equal(initializing.conditions!.find((c) => c.type === 'Initialized')!.message, 'containers with incomplete status: [b]');
  assert.deepEqual([initializing.initContainerStatuses![0].ready, initializing.initContainerStatuses![0].started], [true, true]);
  const running = status(p, { a: { current: run('a0', {}) }, b: { current: exited('b0', 0) }, app: { current: run('c0', {}) } });
  assert.equal(running.phase, 'Running');
  assert.equal(running.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
  // The app containers have run: a sidecar restarting does not make the pod Pending again.
  const restarting = status(p, { a: { current: exited('a0', 1), backOffMs: 10_000 }, b: { current: exited('b0', 0) }, app: { current: run('c0', {}) } });
  assert.equal(restarting.phase, 'Running');
});

// The rest of a pod's life on a real node agent: init containers in order, image pull policies
// and their waiting reasons, memory limits (OOMKilled), securityContext, graceful termination
// with preStop hooks, and the kubelet's events. useNodeCluster brings the cluster down after the
// tests, whatever happened.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectOutput } from '../../src/nodeagent/docker/output-stream.js';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { pod } from '../helpers/builders.js';

const MISSING = '127.0.0.1:1/missing:1.0';

function app(command: string, extra: object = {}): object {
  return { name: 'app', image: 'busybox:1.35', command: ['sh', '-c', command], ...extra };
}

describe('pod lifecycle on a node agent', () => {
  const { c, docker } = useNodeCluster(['--nodes', '1']);
  let cluster = '';

  before(async () => {
    cluster = c.server;
  });

  const waitForPod = (name: string, done: (p: any) => boolean, timeoutMs?: number) => c.waitForPod(name, done, timeoutMs);
  const status = async (name: string) => (await c.kctl(['get', 'pods', name, '--no-headers'])).stdout.trim().split(/\s+/)[2];
  const waitingReason = (p: any, i = 0) => p.status?.containerStatuses?.[i]?.state?.waiting?.reason;
  const events = async (name: string) => {
    const r = await c.api('GET', '/api/v1/namespaces/default/events');
    return (r.body.items as any[]).filter((e) => e.involvedObject.name === name);
  };
  const appContainer = async (name: string) => {
    const list = await docker.listContainers({ filters: { label: [`io.kubernetes.pod.name=${name}`, 'io.kubernetes.container.name=app', `kctl.cluster=${cluster}`] } });
    return list[0].Id;
  };

  test('init containers run in order before the app: Init:0/2, Initialized False, PodInitializing', async () => {
    await c.createPod(
      pod('inits', { node: 'node-1', spec: {
        initContainers: [
          { name: 'first', image: 'busybox:1.35', command: ['sleep', '3'] },
          { name: 'second', image: 'busybox:1.35', command: ['sleep', '1'] },
        ],
        containers: [app('sleep 3600')],
      } }),
    );
    const pending = await waitForPod('inits', (p) => p.status?.initContainerStatuses?.[0]?.state?.running !== undefined);
    assert.equal(pending.status.phase, 'Pending');
    const initialized = pending.status.conditions.find((x: any) => x.type === 'Initialized');
    assert.deepEqual([initialized.status, initialized.reason, initialized.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [first second]']);
    assert.equal(waitingReason(pending), 'PodInitializing');
    assert.equal(pending.status.initContainerStatuses[1].state.waiting.reason, 'PodInitializing');
    assert.equal(await status('inits'), 'Init:0/2');
    const running = await waitForPod('inits', (p) => p.status?.phase === 'Running');
    const [first, second] = running.status.initContainerStatuses;
    assert.equal(first.state.terminated.reason, 'Completed');
    assert.equal(first.ready, true);
    assert.ok(Date.parse(second.state.terminated.startedAt) >= Date.parse(first.state.terminated.finishedAt));
    assert.ok(Date.parse(running.status.containerStatuses[0].state.running.startedAt) >= Date.parse(second.state.terminated.finishedAt));
    assert.equal(running.status.conditions.find((x: any) => x.type === 'Initialized').status, 'True');
    const created = (await events('inits')).filter((e) => e.reason === 'Started').map((e) => e.involvedObject.fieldPath);
    assert.deepEqual(created, ['spec.initContainers{first}', 'spec.initContainers{second}', 'spec.containers{app}']);
  });

  test('a sidecar (init container with restartPolicy Always) runs beside the app and is stopped when the pod completes', async () => {
    await c.createPod(
      pod('sidecar', { node: 'node-1', spec: {
        restartPolicy: 'Never',
        initContainers: [
          { name: 'proxy', image: 'busybox:1.35', restartPolicy: 'Always', command: ['sleep', '3600'] },
          { name: 'setup', image: 'busybox:1.35', command: ['true'] },
        ],
        containers: [app('sleep 3')],
      } }),
    );
    const running = await waitForPod('sidecar', (x) => x.status?.containerStatuses?.[0]?.state?.running !== undefined);
    assert.deepEqual([running.status.initContainerStatuses[0].started, running.status.initContainerStatuses[0].ready], [true, true]);
    assert.match((await c.kctl(['get', 'pods', 'sidecar', '--no-headers'])).stdout, /^sidecar\s+2\/2\s+Running\s/);
    const done = await waitForPod('sidecar', (x) => x.status?.phase === 'Succeeded' && x.status.initContainerStatuses[0].state.terminated !== undefined, 30_000);
    assert.equal(done.status.containerStatuses[0].state.terminated.reason, 'Completed');
    assert.equal(await status('sidecar'), 'Completed');
  });

  test('a failing init container with restartPolicy Never: pod Failed, Init:Error, the app never starts', async () => {
    await c.createPod(
      pod('init-fails', { node: 'node-1', spec: {
        restartPolicy: 'Never',
        initContainers: [{ name: 'setup', image: 'busybox:1.35', command: ['sh', '-c', 'exit 2'] }],
        containers: [app('sleep 3600')],
      } }),
    );
    const p = await waitForPod('init-fails', (x) => x.status?.phase === 'Failed');
    assert.equal(p.status.initContainerStatuses[0].state.terminated.exitCode, 2);
    assert.equal(waitingReason(p), 'PodInitializing');
    assert.equal(await status('init-fails'), 'Init:Error');
  });

  test('an image that cannot be pulled: ErrImagePull, then ImagePullBackOff, with the kubelet events', async () => {
    await c.createPod(pod('no-image', { node: 'node-1', spec: { containers: [{ name: 'app', image: MISSING }] } }));
    const p = await waitForPod('no-image', (x) => waitingReason(x) === 'ImagePullBackOff');
    assert.equal(p.status.containerStatuses[0].state.waiting.message, `Back-off pulling image "${MISSING}"`);
    assert.equal(await status('no-image'), 'ImagePullBackOff');
    const texts = (await events('no-image')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(texts.includes(`Pulling: Pulling image "${MISSING}"`), texts.join('\n'));
    assert.ok(texts.some((t) => t.startsWith(`Failed: Failed to pull image "${MISSING}": `) && t.includes('connection refused')), texts.join('\n'));
    assert.ok(texts.includes('Failed: Error: ErrImagePull'), texts.join('\n'));
    assert.ok(texts.includes(`BackOff: Back-off pulling image "${MISSING}"`), texts.join('\n'));
  });

  test('imagePullPolicy Never with a missing image: ErrImageNeverPull', async () => {
    await c.createPod(pod('never-pull', { node: 'node-1', spec: { containers: [{ name: 'app', image: MISSING, imagePullPolicy: 'Never' }] } }));
    const p = await waitForPod('never-pull', (x) => waitingReason(x) === 'ErrImageNeverPull');
    assert.equal(p.status.containerStatuses[0].state.waiting.message, `Container image "${MISSING}" is not present with pull policy of Never`);
  });

  test('limits.memory 16Mi and a container that needs more: OOMKilled, exit code 137', async () => {
    const resources = { limits: { memory: '16Mi', cpu: '500m' } };
    await c.createPod(pod('oom', { node: 'node-1', spec: { restartPolicy: 'Never', containers: [app('head -c 64m /dev/zero | tail', { resources })] } }));
    const p = await waitForPod('oom', (x) => x.status?.phase === 'Failed', 30_000);
    const terminated = p.status.containerStatuses[0].state.terminated;
    assert.deepEqual([terminated.reason, terminated.exitCode], ['OOMKilled', 137]);
    const id = p.status.containerStatuses[0].containerID.replace('docker://', '');
    const host = (await docker.inspectContainer(id)).HostConfig as any;
    assert.deepEqual([host.Memory, host.MemorySwap, host.NanoCpus, host.CpuShares], [16 * 1024 * 1024, 16 * 1024 * 1024, 500_000_000, 512]);
  });

  test('securityContext: runAsUser/runAsGroup and a read-only root filesystem', async () => {
    await c.createPod(
      pod('secure', { node: 'node-1', spec: {
        restartPolicy: 'Never',
        securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000] },
        containers: [app('id -u; id -g; id -G; touch /x 2>/dev/null && echo writable || echo read-only', { securityContext: { readOnlyRootFilesystem: true } })],
      } }),
    );
    await waitForPod('secure', (x) => x.status?.phase === 'Succeeded');
    const logs = await c.kctl(['logs', 'secure']);
    const lines = logs.stdout.trim().split('\n');
    assert.equal(lines[0], '1000');
    assert.equal(lines[1], '3000');
    assert.ok(lines[2].split(' ').includes('4000'), lines[2]);
    assert.equal(lines[lines.length - 1], 'read-only');
  });

  test('privileged is refused without --allow-privileged; runAsNonRoot with a root image too', async () => {
    await c.createPod(pod('privileged', { node: 'node-1', spec: { containers: [app('sleep 3600', { securityContext: { privileged: true } })] } }));
    const p = await waitForPod('privileged', (x) => waitingReason(x) === 'CreateContainerConfigError');
    assert.match(p.status.containerStatuses[0].state.waiting.message, /specified privileged container, but is disallowed.*--allow-privileged/);
    await c.createPod(pod('non-root', { node: 'node-1', spec: { containers: [app('sleep 3600', { securityContext: { runAsNonRoot: true } })] } }));
    const q = await waitForPod('non-root', (x) => waitingReason(x) === 'CreateContainerConfigError');
    assert.match(q.status.containerStatuses[0].state.waiting.message, /^container has runAsNonRoot and image will run as root \(pod: "non-root_default\(.*\)", container: app\)$/);
    assert.ok((await events('non-root')).some((e) => e.reason === 'Failed' && e.message.startsWith('Error: container has runAsNonRoot')));
  });

  test('deletion: preStop runs, then SIGTERM, which the container traps to exit within the grace period', async () => {
    const lifecycle = { preStop: { exec: { command: ['sh', '-c', 'echo pre-stop > /proc/1/fd/1'] } } };
    await c.createPod(pod('graceful', { node: 'node-1', spec: { containers: [app('trap "echo bye; exit 0" TERM; while true; do sleep 1; done', { lifecycle })] } }));
    await waitForPod('graceful', (x) => x.status?.phase === 'Running');
    const logs = collectOutput(await docker.containerLogs(await appContainer('graceful'), { follow: true }));
    const started = Date.now();
    const r = await c.kctl(['delete', 'pod', 'graceful', '--timeout', '60s']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started < 15_000, `deletion took ${Date.now() - started} ms`);
    assert.deepEqual((await logs).stdout.trim().split('\n'), ['pre-stop', 'bye']);
    const reasons = (await events('graceful')).map((e) => `${e.reason}: ${e.message}`);
    for (const want of ['Created: Created container app', 'Started: Started container app', 'Killing: Stopping container app']) assert.ok(reasons.includes(want), reasons.join('\n'));
  });

  test('a failing postStart hook: FailedPostStartHook, the container is killed; a failing httpGet preStop: FailedPreStopHook', async () => {
    const lifecycle = { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } };
    await c.createPod(pod('post-start', { node: 'node-1', spec: { restartPolicy: 'Never', containers: [app('sleep 3600', { lifecycle })] } }));
    const p = await waitForPod('post-start', (x) => x.status?.phase === 'Failed', 30_000);
    assert.notEqual(p.status.containerStatuses[0].state.terminated.exitCode, 0);
    const texts = (await events('post-start')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(texts.some((t) => t.startsWith('FailedPostStartHook: Exec lifecycle hook ([sh -c exit 7]) for Container "app" in Pod "post-start_default(')), texts.join('\n'));
    assert.ok(texts.includes('Killing: FailedPostStartHook'), texts.join('\n'));

    const preStop = { preStop: { httpGet: { path: '/quit', port: 8080 } } };
    await c.createPod(pod('pre-stop-http', { node: 'node-1', spec: { terminationGracePeriodSeconds: 5, containers: [app('sleep 3600', { lifecycle: preStop })] } }));
    await waitForPod('pre-stop-http', (x) => x.status?.phase === 'Running');
    const r = await c.kctl(['delete', 'pod', 'pre-stop-http', '--timeout', '60s']);
    assert.equal(r.code, 0, r.stderr);
    const failed = (await events('pre-stop-http')).find((e) => e.reason === 'FailedPreStopHook');
    assert.match(failed?.message ?? '', /^HTTP lifecycle hook \(\/quit\) for Container "app" in Pod "pre-stop-http_default\(.*\)" failed - error: Get "http:\/\/10\.244\.\d+\.\d+:8080\/quit": dial tcp .*: connect: connection refused$/);
  });

  test('deletion of a container that ignores SIGTERM: killed after terminationGracePeriodSeconds', async () => {
    await c.createPod(pod('stubborn', { node: 'node-1', spec: { terminationGracePeriodSeconds: 2, containers: [app('trap "" TERM; while true; do sleep 1; done')] } }));
    await waitForPod('stubborn', (x) => x.status?.phase === 'Running');
    const started = Date.now();
    const r = await c.kctl(['delete', 'pod', 'stubborn', '--timeout', '60s']);
    assert.equal(r.code, 0, r.stderr);
    const took = Date.now() - started;
    assert.ok(took >= 2000 && took < 12_000, `deletion took ${took} ms`);
  });

  test('CrashLoopBackOff: the delay waited is recorded on the next run, so it doubles across agent restarts', async () => {
    await c.createPod(pod('crasher', { node: 'node-1', spec: { containers: [app('exit 1')] } }));
    const p = await waitForPod('crasher', (x) => x.status?.containerStatuses?.[0]?.restartCount === 1, 30_000);
    const id = p.status.containerStatuses[0].containerID.replace('docker://', '');
    assert.equal((await docker.inspectContainer(id)).Config.Labels['kctl.backoff-ms'], '10000');
    const back = await waitForPod('crasher', (x) => waitingReason(x) === 'CrashLoopBackOff' && x.status.containerStatuses[0].restartCount === 1);
    assert.match(back.status.containerStatuses[0].state.waiting.message, /^back-off 20s restarting failed container=app pod=crasher_default\(/);
    const backOff = (await events('crasher')).find((e) => e.reason === 'BackOff');
    assert.equal(backOff?.message, `Back-off restarting failed container app in pod crasher_default(${p.metadata.uid})`);
    assert.equal(backOff?.type, 'Warning');
  });
  test('an agent killed and started again neither re-runs completed init containers nor restarts the app', async () => {
    await c.createPod(pod('adopted', { node: 'node-1', spec: { initContainers: [{ name: 'setup', image: 'busybox:1.35', command: ['true'] }], containers: [app('sleep 3600')] } }));
    const before = await waitForPod('adopted', (x) => x.status?.phase === 'Running');
    const pid = c.agentPid('node-1');
    process.kill(pid, 'SIGKILL');
    for (let alive = true; alive; await new Promise((r) => setTimeout(r, 100))) {
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
    }
    const up = await c.kctl(['cluster', 'up']);
    assert.equal(up.code, 0, up.stderr);
    assert.notEqual(c.agentPid('node-1'), pid);
    // A pod change makes the new agent sync (and report) the pod.
    await c.api('PATCH', '/api/v1/namespaces/default/pods/adopted', { metadata: { labels: { touched: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await new Promise((r) => setTimeout(r, 2000));
    const after = await waitForPod('adopted', (x) => x.status?.phase === 'Running');
    assert.equal(after.status.initContainerStatuses[0].containerID, before.status.initContainerStatuses[0].containerID);
    assert.equal(after.status.containerStatuses[0].containerID, before.status.containerStatuses[0].containerID);
    assert.equal(after.status.containerStatuses[0].restartCount, 0);
    const starts = (await events('adopted')).filter((e) => e.reason === 'Started' && e.involvedObject.fieldPath === 'spec.initContainers{setup}');
    assert.equal(starts[0].count, 1);
  });
});

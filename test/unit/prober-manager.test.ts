// The prober manager on a fake clock, with tcpSocket probes against loopback: workers follow the
// running containers (a new run starts over), results become `started`/`ready`, and a failed
// liveness probe asks the pod sync for a kill with the kubelet's message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../src/api/event-recorder.js';
import type { DockerClient } from '../../src/nodeagent/docker/docker-client.js';
import type { ContainerInspect } from '../../src/nodeagent/docker/types.js';
import type { KillRequest } from '../../src/nodeagent/pods/container-killer.js';
import { ProberManager } from '../../src/nodeagent/pods/probes/prober-manager.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { pod } from '../helpers/builders.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
let server: Server;
let open = 0;
let closed = 0;

before(async () => {
  server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open = (server.address() as AddressInfo).port;
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  closed = (gone.address() as AddressInfo).port;
  await new Promise((r) => gone.close(r));
});
after(() => server.close());

const tcp = (port: number): Probe => ({ tcpSocket: { host: '127.0.0.1', port }, periodSeconds: 1, failureThreshold: 1 });

/** The pod web, its one container app probed as given. */
function web(probes: Partial<Record<'livenessProbe' | 'readinessProbe' | 'startupProbe', Probe>>): Pod {
  return pod('web', { metadata: { namespace: 'default', uid: 'u-1' }, spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 5 }, container: { name: 'app', ...probes } }) as Pod;
}

function run(id: string, running = true): Map<string, ContainerInspect[]> {
  const inspect = { Id: id, State: { Running: running, StartedAt: new Date(T0).toISOString() }, NetworkSettings: { Networks: {} } };
  return new Map([['app', [inspect as unknown as ContainerInspect]]]);
}

function manager() {
  const clock = new FakeClock(T0);
  const events: string[] = [];
  let changes = 0;
  const recorder = { event: (_ref: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) };
  const m = new ProberManager({ docker: {} as DockerClient, events: recorder as unknown as EventRecorder, onChange: () => changes++, clock });
  /** Waits (in real time: the probes connect for real) for the next result change. */
  const changed = async (before: number) => {
    for (let i = 0; i < 200 && changes === before; i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(changes > before, 'a result changed');
    return changes;
  };
  return { m, clock, events, changed, count: () => changes };
}

test('readiness: not ready until the probe passes; a new run starts over; gone when not running', async () => {
  const { m, clock, changed, count } = manager();
  const p = web({ readinessProbe: tcp(open) });
  assert.deepEqual([...m.observe(p, undefined, run('c1'))], [['app', { started: true, ready: false }]]);
  await changed(0);
  assert.deepEqual(m.observe(p, undefined, run('c1')).get('app'), { started: true, ready: true });
  assert.deepEqual(m.observe(p, undefined, run('c2')).get('app'), { started: true, ready: false }, 'a new container starts unready');
  await changed(count());
  assert.deepEqual(m.observe(p, undefined, run('c2')).get('app'), { started: true, ready: true });
  assert.deepEqual([...m.observe(p, undefined, run('c2', false))], []);
  await clock.advance(5000);
  assert.equal(clock.pending, 0, 'no worker left');
});

test('startup gates readiness; once it passes, readiness runs at once', async () => {
  const { m, changed } = manager();
  const p = web({ startupProbe: tcp(open), readinessProbe: tcp(open) });
  assert.deepEqual(m.observe(p, undefined, run('c1')).get('app'), { started: false, ready: false });
  let n = await changed(0);
  if (n < 2) n = await changed(n);
  assert.equal(n, 2, 'startup then readiness, without waiting for a tick');
  assert.deepEqual(m.observe(p, undefined, run('c1')).get('app'), { started: true, ready: true });
  m.stop();
});

test('a failed liveness probe: Unhealthy event, then a kill request with the Killing message', async () => {
  const { m, events, changed } = manager();
  const p = web({ livenessProbe: tcp(closed) });
  const runs = run('c1');
  assert.deepEqual([...m.observe(p, undefined, runs)], [], 'liveness alone says nothing of started/ready');
  const kills: KillRequest[] = [];
  assert.equal(await m.killUnhealthy(p, undefined, runs, async (r) => void kills.push(r)), false);
  await changed(0);
  assert.deepEqual(events, [`Warning Unhealthy Liveness probe failed: dial tcp 127.0.0.1:${closed}: connect: connection refused`]);
  assert.equal(await m.killUnhealthy(p, undefined, runs, async (r) => void kills.push(r)), true);
  assert.equal(kills.length, 1);
  assert.equal(kills[0].name, 'app');
  assert.equal(kills[0].running.Id, 'c1');
  assert.equal(kills[0].graceSeconds, 5);
  assert.equal(kills[0].message, 'Container app failed liveness probe, will be restarted');
  assert.equal(await m.killUnhealthy(p, undefined, run('c2'), async (r) => void kills.push(r)), false, 'not the next run');
  m.removePod('u-1');
});

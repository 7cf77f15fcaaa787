// Container probes on a real node agent and real Docker: a failing liveness probe restarts the
// container with the kubelet's events, readiness (httpGet, tcpSocket) drives the Ready
// condition, and a startup probe holds readiness back until it passes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { pod } from '../helpers/builders.js';

function probedPod(name: string, container: object): object {
  return pod(name, { node: 'node-1', spec: { terminationGracePeriodSeconds: 2 }, container: { name: 'app', ...container } });
}

const every = { periodSeconds: 1, failureThreshold: 1 };
/** busybox httpd serving /www, the file `index.html` made first. */
const httpd = (port: number) => ['sh', '-c', `mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p ${port} -h /www`];

const app = (pod: any) => pod.status?.containerStatuses?.[0];
const condition = (pod: any, type: string) => pod.status?.conditions?.find((c: any) => c.type === type)?.status;

describe('container probes', () => {
  const { c } = useNodeCluster(['--nodes', '1']);


  const events = async (pod: string): Promise<any[]> => {
    const r = await c.api('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${pod}`);
    assert.equal(r.status, 200, r.text);
    return r.body.items;
  };
  const waitForEvent = async (pod: string, reason: string, message: (m: string) => boolean) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = (await events(pod)).find((e) => e.reason === reason && message(e.message));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${reason} event for ${pod}: ${JSON.stringify((await events(pod)).map((e) => [e.reason, e.message]))}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const ready = (name: string, want: boolean) => c.waitForPod(name, (p) => condition(p, 'Ready') === (want ? 'True' : 'False') && app(p)?.state?.running, 20_000);

  test('a failing liveness probe kills the container, which restarts', async () => {
    await c.createPod(
      probedPod('liveness', {
        command: ['sh', '-c', 'touch /tmp/healthy; sleep 3; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, ...every },
      }),
    );
    const unhealthy = await waitForEvent('liveness', 'Unhealthy', (m) => m.startsWith('Liveness probe failed: '));
    assert.equal(unhealthy.type, 'Warning');
    assert.match(unhealthy.message, /^Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/);
    assert.equal(unhealthy.involvedObject.fieldPath, 'spec.containers{app}');
    assert.equal(unhealthy.source.component, 'kubelet');
    const killing = await waitForEvent('liveness', 'Killing', () => true);
    assert.equal(killing.type, 'Normal');
    assert.equal(killing.message, 'Container app failed liveness probe, will be restarted');
    // The restart waits out the CrashLoopBackOff delay of the killed run.
    const pod = await c.waitForPod('liveness', (p) => app(p)?.restartCount >= 1 && app(p)?.state?.running, 40_000);
    assert.ok(app(pod).lastState.terminated, JSON.stringify(app(pod)));
    assert.equal(app(pod).started, true);
  });

  test('an httpGet readiness probe flips Ready as the page comes and goes', async () => {
    await c.createPod(
      probedPod('web', {
        command: httpd(8080),
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, ...every },
      }),
    );
    let pod = await ready('web', true);
    assert.equal(app(pod).ready, true);
    assert.equal(condition(pod, 'ContainersReady'), 'True');

    const rm = await c.kctl(['exec', 'web', '--', 'rm', '/www/index.html']);
    assert.equal(rm.code, 0, rm.stderr);
    pod = await ready('web', false);
    assert.equal(app(pod).ready, false);
    assert.equal(app(pod).restartCount, 0, 'readiness never restarts');
    const readyCondition = pod.status.conditions.find((x: any) => x.type === 'Ready');
    assert.equal(readyCondition.reason, 'ContainersNotReady');
    assert.equal(readyCondition.message, 'containers with unready status: [app]');
    const get = await c.kctl(['get', 'pods', 'web']);
    assert.match(get.stdout, /web\s+0\/1\s+Running\s+0/);
    // A probe made before httpd listened may have left a `connection refused` event already: the
    // page's removal gives its own.
    const unhealthy = await waitForEvent('web', 'Unhealthy', (m) => m.includes('statuscode'));
    assert.equal(unhealthy.message, 'Readiness probe failed: HTTP probe failed with statuscode: 404');

    const restore = await c.kctl(['exec', 'web', '--', 'sh', '-c', 'echo ok > /www/index.html']);
    assert.equal(restore.code, 0, restore.stderr);
    await ready('web', true);
    assert.match((await c.kctl(['get', 'pods', 'web'])).stdout, /web\s+1\/1\s+Running\s+0/);
  });

  test('a tcpSocket readiness probe: not ready until the port listens', async () => {
    await c.createPod(
      probedPod('tcp', {
        command: ['sh', '-c', `sleep 3; ${httpd(9000)[2]}`],
        readinessProbe: { tcpSocket: { port: 9000 }, ...every },
      }),
    );
    const before = await ready('tcp', false);
    assert.equal(app(before).started, true);
    await ready('tcp', true);
    const unhealthy = await waitForEvent('tcp', 'Unhealthy', (m) => m.startsWith('Readiness probe failed: '));
    assert.match(unhealthy.message, /^Readiness probe failed: dial tcp 10\.244\.\d+\.\d+:9000: connect: connection refused$/);
  });

  test('a startup probe holds readiness and liveness back until it passes', async () => {
    await c.createPod(
      probedPod('slow', {
        command: ['sh', '-c', 'sleep 3; touch /tmp/started; sleep 600'],
        startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 30 },
        readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
        livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
      }),
    );
    const starting = await c.waitForPod('slow', (p) => app(p)?.state?.running);
    assert.equal(app(starting).started, false);
    assert.equal(app(starting).ready, false);
    const started = await c.waitForPod('slow', (p) => app(p)?.started === true);
    assert.equal(app(started).restartCount, 0);
    await ready('slow', true);
    const failed = await waitForEvent('slow', 'Unhealthy', (m) => m.startsWith('Startup probe failed: '));
    assert.match(failed.message, /^Startup probe failed: cat: can't open '\/tmp\/started': No such file or directory/);
    assert.ok(!(await events('slow')).some((e) => e.reason === 'Killing'), 'a startup probe under its threshold kills nothing');
  });

  test('a startup probe that keeps failing kills the container', async () => {
    await c.createPod(
      probedPod('never-starts', {
        command: ['sleep', '600'],
        startupProbe: { exec: { command: ['sh', '-c', 'sleep 5'] }, periodSeconds: 1, failureThreshold: 2 },
      }),
    );
    const unhealthy = await waitForEvent('never-starts', 'Unhealthy', (m) => m.startsWith('Startup probe failed: '));
    assert.equal(unhealthy.message, 'Startup probe failed: command "sh -c sleep 5" timed out');
    const killing = await waitForEvent('never-starts', 'Killing', () => true);
    assert.equal(killing.message, 'Container app failed startup probe, will be restarted');
  });
});

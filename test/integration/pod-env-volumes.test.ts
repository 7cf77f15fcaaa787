// Container environment and pod volumes on a real node agent (`kctl cluster up --nodes 1`, real
// Docker): shared network and emptyDir between a pod's containers, env from Secrets and
// ConfigMaps, CreateContainerConfigError until a key exists, configMap/secret/downwardAPI files,
// tmpfs emptyDir, hostPath. useNodeCluster brings the cluster down after the tests, whatever
// happened.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { pod } from '../helpers/builders.js';

const SLEEP = ['sleep', '3600'];

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

describe('container env and pod volumes on a node agent', () => {
  const { c, docker } = useNodeCluster(['--nodes', '1']);
  const hostDir = mkdtempSync(join(tmpdir(), 'kctl-hostpath-'));
  let cluster = '';

  before(async () => {
    cluster = c.server;
    await c.create('/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'postgres-credentials' },
      data: { password: b64('s3cret'), '1st': b64('x') },
    });
    await c.create('/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config' },
      data: { mode: 'debug', level: '3', 'app.conf': 'port=80\n' },
    });
  });
  after(() => rmSync(hostDir, { recursive: true, force: true }));

  const running = (p: any) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((s: any) => s.state?.running);

  async function containerOf(podName: string, container: string): Promise<string> {
    const list = await docker.listContainers({
      filters: { label: [`io.kubernetes.pod.name=${podName}`, `io.kubernetes.container.name=${container}`, `kctl.cluster=${cluster}`] },
    });
    assert.equal(list.length, 1, `one running ${container} in ${podName}`);
    return list[0].Id;
  }

  /** Polls the pod's events until one has `reason`. */
  async function eventOf(podName: string, reason: string): Promise<any> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const events = await c.api('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${podName}`);
      const found = events.body.items.find((e: any) => e.reason === reason);
      if (found || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function sh(podName: string, container: string, script: string): Promise<string> {
    const r = await docker.exec(await containerOf(podName, container), { Cmd: ['sh', '-c', script] });
    assert.equal(r.exitCode, 0, `${script}: ${r.stderr}`);
    return r.stdout;
  }

  test('two containers share localhost and an emptyDir', async () => {
    await c.createPod(
      pod('pair', { node: 'node-1', spec: {
        volumes: [{ name: 'shared', emptyDir: {} }],
        containers: [
          { name: 'web', image: 'busybox:1.35', command: ['sh', '-c', 'echo hello > /www/index.html && httpd -f -p 8080 -h /www'], volumeMounts: [{ name: 'shared', mountPath: '/www' }] },
          { name: 'client', image: 'busybox:1.35', command: SLEEP, volumeMounts: [{ name: 'shared', mountPath: '/data', readOnly: true }] },
        ],
      } }),
    );
    const p = await c.waitForPod('pair', running);
    assert.equal(await sh('pair', 'client', 'cat /data/index.html'), 'hello\n');
    let body = '';
    for (let i = 0; i < 20 && body !== 'hello\n'; i++) {
      body = (await docker.exec(await containerOf('pair', 'client'), { Cmd: ['wget', '-qO-', 'http://127.0.0.1:8080/'] })).stdout;
      if (body !== 'hello\n') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(body, 'hello\n');
    const ro = await docker.exec(await containerOf('pair', 'client'), { Cmd: ['touch', '/data/x'] });
    assert.notEqual(ro.exitCode, 0, 'a readOnly mount cannot be written');
    const dir = join(c.home, 'nodes', 'node-1', 'pods', p.metadata.uid, 'volumes', 'kubernetes.io~empty-dir', 'shared');
    assert.ok(existsSync(join(dir, 'index.html')), `emptyDir data in ${dir}`);
    await c.api('DELETE', '/api/v1/namespaces/default/pods/pair?gracePeriodSeconds=0');
    const deadline = Date.now() + 20_000;
    while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(!existsSync(dir), 'the emptyDir goes with the pod');
  });

  test('env from a Secret and a ConfigMap, fieldRef, resourceFieldRef, expansion', async () => {
    await c.createPod(
      pod('envs', { node: 'node-1', labels: { tier: 'backend' }, spec: {
        containers: [
          {
            name: 'app',
            image: 'busybox:1.35',
            command: ['sh', '-c', "echo '$(GREETING)|$$(GREETING)' > /tmp/cmd; sleep 3600"],
            envFrom: [{ configMapRef: { name: 'app-config' }, prefix: 'CFG_' }, { secretRef: { name: 'postgres-credentials' } }],
            env: [
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'password' } } },
              { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } },
              { name: 'GREETING', value: 'mode=$(MODE) $$(MODE) $(UNDEFINED)' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'nope', optional: true } } },
            ],
            resources: { limits: { memory: '64Mi' } },
          },
        ],
        } }),
    );
    const p = await c.waitForPod('envs', running);
    // A shell drops variables whose names it cannot use (CFG_app.conf): read the container's own environment.
    const env = new Map(
      (await sh('envs', 'app', "tr '\\0' '\\n' < /proc/1/environ"))
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(env.get('DB_PASSWORD'), 's3cret');
    assert.equal(env.get('password'), 's3cret');
    assert.equal(env.get('MODE'), 'debug');
    assert.equal(env.get('CFG_level'), '3');
    assert.equal(env.has('CFG_app.conf'), true);
    assert.equal(env.has('1st'), false);
    assert.equal(env.get('GREETING'), 'mode=debug $(MODE) $(UNDEFINED)');
    assert.equal(env.get('POD_NAME'), 'envs');
    assert.equal(env.get('TIER'), 'backend');
    assert.equal(env.get('POD_IP'), p.status.podIP);
    assert.equal(env.get('MEM_MI'), '64');
    assert.equal(env.has('OPTIONAL'), false);
    assert.equal(await sh('envs', 'app', 'cat /tmp/cmd'), 'mode=debug $(MODE) $(UNDEFINED)|$(GREETING)\n');
    const invalid = await eventOf('envs', 'InvalidEnvironmentVariableNames');
    assert.equal(invalid?.message, 'Keys [1st] from the EnvFrom secret default/postgres-credentials were skipped since they are considered invalid environment variable names.');
  });

  test('a missing key: CreateContainerConfigError with the kubelet message, then the pod starts once the key exists', async () => {
    await c.createPod(
      pod('needs-user', { node: 'node-1', spec: {
        containers: [{ name: 'app', image: 'busybox:1.35', command: SLEEP, env: [{ name: 'USER', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'user' } } }] }],
      } }),
    );
    const waiting = await c.waitForPod('needs-user', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
    assert.equal(waiting.status.containerStatuses[0].state.waiting.message, "couldn't find key user in Secret default/postgres-credentials");
    const r = await c.api('PATCH', '/api/v1/namespaces/default/secrets/postgres-credentials', { data: { user: b64('admin') } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 200, r.text);
    await c.waitForPod('needs-user', running, 30_000);
    assert.equal(await sh('needs-user', 'app', 'echo -n $USER'), 'admin');
  });

  test('a missing ConfigMap keeps the pod ContainerCreating with a FailedMount event', async () => {
    await c.createPod(pod('no-cm', { node: 'node-1', spec: { volumes: [{ name: 'cfg', configMap: { name: 'missing' } }], containers: [{ name: 'app', image: 'busybox:1.35', command: SLEEP }] } }));
    await c.waitForPod('no-cm', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating');
    const failed = await eventOf('no-cm', 'FailedMount');
    assert.equal(failed?.type, 'Warning');
    assert.equal(failed?.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "missing" not found');
  });

  test('configMap, secret, downwardAPI and projected volume files with their modes, read-only', async () => {
    await c.createPod(
      pod('files', { node: 'node-1', labels: { app: 'files', tier: 'web' }, spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'app-config', items: [{ key: 'app.conf', path: 'conf/app.conf' }] } },
          { name: 'creds', secret: { secretName: 'postgres-credentials', defaultMode: 0o400 } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          {
            name: 'all-in-one',
            projected: {
              defaultMode: 0o440,
              sources: [
                { configMap: { name: 'app-config', items: [{ key: 'mode', path: 'mode' }] } },
                { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
        ],
        containers: [
          {
            name: 'app',
            image: 'busybox:1.35',
            command: SLEEP,
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/app' },
              { name: 'creds', mountPath: '/etc/creds' },
              { name: 'info', mountPath: '/etc/podinfo' },
              { name: 'all-in-one', mountPath: '/projected' },
              { name: 'cfg', mountPath: '/app.conf', subPath: 'conf/app.conf' },
            ],
          },
        ],
        } }),
    );
    await c.waitForPod('files', running);
    assert.equal(await sh('files', 'app', 'cat /etc/app/conf/app.conf'), 'port=80\n');
    assert.equal(await sh('files', 'app', 'cat /app.conf'), 'port=80\n');
    assert.equal(await sh('files', 'app', 'cat /etc/creds/password'), 's3cret');
    assert.equal(await sh('files', 'app', 'stat -L -c %a /etc/creds/password'), '400\n');
    assert.equal(await sh('files', 'app', 'stat -L -c %a /etc/app/conf/app.conf'), '644\n');
    assert.equal(await sh('files', 'app', 'cat /etc/podinfo/labels'), 'app="files"\ntier="web"');
    assert.equal(await sh('files', 'app', 'cat /etc/podinfo/name'), 'files');
    assert.equal(await sh('files', 'app', 'cat /projected/mode; echo; cat /projected/namespace; echo; stat -L -c %a /projected/mode'), 'debug\ndefault\n440\n');
    const write = await docker.exec(await containerOf('files', 'app'), { Cmd: ['touch', '/etc/creds/x'] });
    assert.notEqual(write.exitCode, 0, 'secret volumes are read-only');
  });

  test('emptyDir medium Memory is one tmpfs for all containers of the pod, removed with the pod', async () => {
    await c.createPod(
      pod('mem', { node: 'node-1', spec: {
        volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
        containers: [
          { name: 'a', image: 'busybox:1.35', command: ['sh', '-c', 'echo in-memory > /data/f; sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/data' }] },
          { name: 'b', image: 'busybox:1.35', command: SLEEP, volumeMounts: [{ name: 'scratch', mountPath: '/data' }] },
        ],
      } }),
    );
    await c.waitForPod('mem', running);
    assert.match(await sh('mem', 'b', 'grep /data /proc/mounts'), /^tmpfs \/data tmpfs .*size=16384k/);
    assert.equal(await sh('mem', 'b', 'cat /data/f'), 'in-memory\n');
    const volumesOfPod = () => docker.listVolumes({ filters: { label: [`kctl.cluster=${cluster}`, 'io.kubernetes.pod.name=mem'] } });
    assert.equal((await volumesOfPod()).length, 1);
    await c.api('DELETE', '/api/v1/namespaces/default/pods/mem?gracePeriodSeconds=0');
    const deadline = Date.now() + 20_000;
    while ((await volumesOfPod()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await volumesOfPod()).length, 0, 'the tmpfs volume goes with the pod');
  });

  test('hostPath DirectoryOrCreate makes the directory; Directory on a missing path fails the mount', async () => {
    const made = join(hostDir, 'made');
    await c.createPod(
      pod('host', { node: 'node-1', spec: {
        volumes: [{ name: 'h', hostPath: { path: made, type: 'DirectoryOrCreate' } }],
        containers: [{ name: 'app', image: 'busybox:1.35', command: ['sh', '-c', 'echo from-pod > /host/out; sleep 3600'], volumeMounts: [{ name: 'h', mountPath: '/host' }] }],
      } }),
    );
    await c.waitForPod('host', running);
    assert.ok(statSync(made).isDirectory());
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(made, 'out')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(join(made, 'out')));

    await c.createPod(
      pod('host-missing', { node: 'node-1', spec: {
        volumes: [{ name: 'h', hostPath: { path: join(hostDir, 'absent'), type: 'Directory' } }],
        containers: [{ name: 'app', image: 'busybox:1.35', command: SLEEP, volumeMounts: [{ name: 'h', mountPath: '/host' }] }],
      } }),
    );
    await c.waitForPod('host-missing', (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ContainerCreating');
    assert.ok(!existsSync(join(hostDir, 'absent')));
    const failed = await eventOf('host-missing', 'FailedMount');
    assert.equal(failed?.message, `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(hostDir, 'absent')} is not a directory`);
  });
});

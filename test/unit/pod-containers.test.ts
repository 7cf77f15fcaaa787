import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerConfig, type ResolvedRun, dockerContainerName, sandboxConfig } from '../../src/nodeagent/pods/containers.js';
import { pod } from '../helpers/builders.js';

const placement = { node: 'node-1', cluster: 'https://127.0.0.1:6443' };

/** The pod web in shop, its one container app. */
const web = (container: Record<string, unknown>): Pod => pod('web', { metadata: { namespace: 'shop', uid: 'u-1' }, container: { name: 'app', ...container } }) as Pod;

test('sandbox: pause image on the pod network, shareable IPC, labelled, hostPorts published', () => {
  const c = sandboxConfig(web({ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353 }] }), placement);
  assert.equal(c.Image, 'kctl/pause:1.0');
  assert.deepEqual(c.HostConfig, {
    NetworkMode: 'kctl0',
    IpcMode: 'shareable',
    PortBindings: { '53/udp': [{ HostIp: '', HostPort: '5353' }] },
  });
  assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(c.Labels, {
    'io.kubernetes.pod.namespace': 'shop',
    'io.kubernetes.pod.name': 'web',
    'io.kubernetes.pod.uid': 'u-1',
    'io.kubernetes.container.name': 'POD',
    'kctl.node': 'node-1',
    'kctl.cluster': 'https://127.0.0.1:6443',
  });
});

test('container: joins the sandbox, labelled with its run', () => {
  const c = containerConfig(web({}), web({}).spec!.containers[0], 'sb', placement, 2, { env: [], mounts: [] });
  assert.equal(c.HostConfig?.NetworkMode, 'container:sb');
  assert.equal(c.HostConfig?.IpcMode, 'container:sb');
  assert.equal(c.HostConfig?.Init, true);
  assert.equal(c.Labels?.['io.kubernetes.container.name'], 'app');
  assert.equal(c.Labels?.['io.kubernetes.container.restartCount'], '2');
  assert.equal(dockerContainerName(web({}), 'app', 2), 'k8s_app_web_shop_u-1_2');
});

// `resolved` is what the agent worked out for the run (container-env.ts): the environment and the
// command and args with $(VAR) expanded.
const cases: { name: string; spec: Record<string, unknown>; resolved: ResolvedRun; want: Record<string, unknown> }[] = [
  { name: 'image defaults', spec: {}, resolved: { env: [], mounts: [] }, want: { Entrypoint: undefined, Cmd: undefined, Env: [], WorkingDir: undefined } },
  { name: 'command replaces the entrypoint', spec: { command: ['sleep', '3600'] }, resolved: { env: [], mounts: [], command: ['sleep', '3600'] }, want: { Entrypoint: ['sleep', '3600'], Cmd: undefined } },
  { name: 'args replace the cmd', spec: { args: ['-c', 'true'] }, resolved: { env: [], mounts: [], args: ['-c', 'true'] }, want: { Entrypoint: undefined, Cmd: ['-c', 'true'] } },
  {
    name: 'the resolved environment and mounts, workingDir',
    spec: { workingDir: '/tmp' },
    resolved: { env: ['A=1', 'B='], mounts: [{ Type: 'bind', Source: '/data', Target: '/data' }] },
    want: { Env: ['A=1', 'B='], WorkingDir: '/tmp' },
  },
];
for (const { name, spec, resolved, want } of cases) {
  test(`container config: ${name}`, () => {
    const p = web(spec);
    const c = containerConfig(p, p.spec!.containers[0], 'sb', placement, 0, resolved);
    assert.deepEqual(c.HostConfig?.Mounts, resolved.mounts.length > 0 ? resolved.mounts : undefined);
    for (const [key, value] of Object.entries(want)) assert.deepEqual(c[key], value, key);
  });
}

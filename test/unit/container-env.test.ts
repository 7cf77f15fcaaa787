import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { containerEnv, envReferences, expand, fieldRefValue, formatMap, resourceFieldValue, type EnvContext } from '../../src/nodeagent/pods/container-env.js';
import { ContainerStartError } from '../../src/nodeagent/pods/start-error.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '' };
const lookup = (n: string) => vars[n];

for (const [input, want] of [
  ['$(A)', 'a'],
  ['x$(A)y$(A)', 'xaya'],
  ['$(EMPTY)|', '|'],
  ['$(UNDEFINED)', '$(UNDEFINED)'],
  ['$$(A)', '$(A)'],
  ['$$$(A)', '$a'],
  ['$A', '$A'],
  ['$(A', '$(A'],
  ['trailing $', 'trailing $'],
  ['$()', '$()'],
] as const) {
  test(`expand ${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(expand(input, lookup), want));
}

const pod: Pod = {
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { tier: 'backend', app: 'web' }, annotations: { note: 'a "quoted" one' } },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'builder',
    containers: [
      { name: 'app', image: 'busybox', resources: { limits: { memory: '64Mi', cpu: '250m' }, requests: { cpu: '100m' } } },
      { name: 'side', image: 'busybox' },
    ],
  },
};
const addresses = { hostIPs: ['127.0.0.1'], podIPs: ['10.244.0.5'] };
const allocatable = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi' };

test('fieldRef values, as the kubelet resolves them', () => {
  const v = (fieldPath: string) => fieldRefValue(pod, { fieldPath }, addresses);
  assert.equal(v('metadata.name'), 'web');
  assert.equal(v('metadata.namespace'), 'prod');
  assert.equal(v('metadata.uid'), 'u-1');
  assert.equal(v("metadata.labels['tier']"), 'backend');
  assert.equal(v("metadata.labels['missing']"), '');
  assert.equal(v("metadata.annotations['note']"), 'a "quoted" one');
  assert.equal(v('metadata.labels'), 'app="web"\ntier="backend"');
  assert.equal(v('spec.nodeName'), 'node-1');
  assert.equal(v('spec.serviceAccountName'), 'builder');
  assert.equal(v('status.hostIP'), '127.0.0.1');
  assert.equal(v('status.podIPs'), '10.244.0.5');
  assert.throws(() => v('spec.restartPolicy'), /unsupported fieldPath/);
});

test('formatMap quotes values and sorts keys', () => assert.equal(formatMap({ b: 'x\ny', a: '1' }), 'a="1"\nb="x\\ny"'));

test('resourceFieldRef: divisors round up; unset limits are the node allocatable; unset requests 0', () => {
  const [app, side] = pod.spec!.containers;
  const r = (c: Container, resource: string, divisor?: string) => resourceFieldValue(c, { resource, divisor }, allocatable);
  assert.equal(r(app, 'limits.cpu'), '1');
  assert.equal(r(app, 'limits.cpu', '1m'), '250');
  assert.equal(r(app, 'requests.cpu', '1m'), '100');
  assert.equal(r(app, 'limits.memory', '1Mi'), '64');
  assert.equal(r(app, 'limits.memory', '1G'), '1');
  assert.equal(r(side, 'limits.memory'), String(4 * 1024 ** 3));
  assert.equal(r(side, 'limits.cpu', '1m'), '2000');
  assert.equal(r(side, 'limits.ephemeral-storage', '1Gi'), '10');
  assert.equal(r(side, 'requests.memory'), '0');
  assert.throws(() => r(side, 'limits.gpu'), /unsupported container resource/);
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
function ctx(): EnvContext {
  return {
    ...addresses,
    allocatable,
    serviceEnv: new Map(),
    objects: {
      configMaps: new Map([['cfg', { data: { mode: 'debug', 'app.conf': 'x', 'bad key': 'y' } }], ['gone', undefined]]),
      secrets: new Map([['db', { data: { password: b64('s3cret'), user: b64('admin') } }], ['nosecret', undefined]]),
    },
  };
}

function startError(fn: () => unknown): ContainerStartError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ContainerStartError);
    return err;
  }
  assert.fail('no error');
}

test('env: envFrom with prefix, env wins over envFrom, expansion against earlier entries only', () => {
  const c: Container = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'db' } }],
    env: [
      { name: 'LATE', value: '$(EARLY)' },
      { name: 'EARLY', value: 'e' },
      { name: 'user', value: 'override $(user)' },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
      { name: 'NOPE', valueFrom: { configMapKeyRef: { name: 'gone', key: 'x', optional: true } } },
      { name: 'BLANK' },
    ],
    command: ['echo', '$(MODE)', '$$(MODE)'],
    args: ['$(PW)'],
  };
  const r = containerEnv(pod, c, ctx());
  const env = new Map(r.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  assert.equal(env.get('CFG_mode'), 'debug');
  assert.equal(env.get('CFG_app.conf'), 'x');
  assert.equal(env.has('CFG_bad key'), false);
  assert.equal(env.get('password'), 's3cret');
  assert.equal(env.get('LATE'), '$(EARLY)');
  assert.equal(env.get('user'), 'override admin');
  assert.equal(env.get('PW'), 's3cret');
  assert.equal(env.get('MODE'), 'debug');
  assert.equal(env.has('NOPE'), false);
  assert.equal(env.get('BLANK'), '');
  assert.deepEqual(r.command, ['echo', 'debug', '$(MODE)']);
  assert.deepEqual(r.args, ['s3cret']);
  assert.deepEqual(r.warnings, ['Keys [CFG_bad key] from the EnvFrom configMap prod/cfg were skipped since they are considered invalid environment variable names.']);
});

test('env errors are CreateContainerConfigError with the kubelet messages', () => {
  const fail = (env: Container['env'], envFrom?: Container['envFrom']) => startError(() => containerEnv(pod, { name: 'app', env, envFrom }, ctx()));
  const e = fail([{ name: 'U', valueFrom: { secretKeyRef: { name: 'db', key: 'nope' } } }]);
  assert.equal(e.reason, 'CreateContainerConfigError');
  assert.equal(e.message, "couldn't find key nope in Secret prod/db");
  assert.equal(fail([{ name: 'U', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }]).message, "couldn't find key k in ConfigMap prod/cfg");
  assert.equal(fail([{ name: 'U', valueFrom: { secretKeyRef: { name: 'nosecret', key: 'k' } } }]).message, 'secret "nosecret" not found');
  assert.equal(fail(undefined, [{ configMapRef: { name: 'gone' } }]).message, 'configmap "gone" not found');
  assert.equal(fail([{ name: 'F', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }]).message, 'unsupported fieldPath: spec.bogus');
  assert.deepEqual(containerEnv(pod, { name: 'app', envFrom: [{ secretRef: { name: 'nosecret', optional: true } }] }, ctx()).env, []);
});

test('resourceFieldRef in env defaults to its own container; names another with containerName', () => {
  const c: Container = {
    name: 'side',
    env: [
      { name: 'OWN', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'APP', valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } } },
    ],
  };
  assert.deepEqual(containerEnv(pod, c, ctx()).env, ['OWN=2000', 'APP=64']);
});

test('envReferences: the objects to read; plain values read nothing', () => {
  const refs = envReferences({
    name: 'x',
    envFrom: [{ configMapRef: { name: 'a' } }, { secretRef: { name: 's' } }],
    env: [{ name: 'V', value: 'v', valueFrom: { secretKeyRef: { name: 'ignored', key: 'k' } } }, { name: 'W', valueFrom: { configMapKeyRef: { name: 'b', key: 'k' } } }],
  });
  assert.deepEqual([...refs.configMaps], ['a', 'b']);
  assert.deepEqual([...refs.secrets], ['s']);
});

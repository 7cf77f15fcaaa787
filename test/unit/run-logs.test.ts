// What `kctl run` builds and checks (expected objects and texts are kubectl 1.32's, from
// --dry-run=client -o json), and the pod `kctl logs TYPE/NAME` picks (podutils.ByLogging).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { CliError } from '../../src/cli/errors.js';
import { beforeForLogs, firstPodForLogs, mostActivePod } from '../../src/cli/attachable-pod.js';
import { isImageReference } from '../../src/cli/generators/image-reference.js';
import { checkRunFlags, parseEnvs, runPodFor, type RunFlags } from '../../src/cli/generators/run-pod.js';
import { pod } from '../helpers/builders.js';

const cliError = (message: string) => (err: unknown) => {
  assert.ok(err instanceof CliError, String(err));
  assert.equal(err.message, message);
  return true;
};
const base: RunFlags = { name: 'web', image: 'nginx', restart: 'Always', imagePullPolicy: '', port: '', env: [], labels: '', command: false, args: [] };
const noAttach = { stdin: false, tty: false, attach: false, rm: false, dryRun: false };

test('run: label run=NAME, one container named NAME, ClusterFirst and Always by default', () => {
  assert.deepEqual(runPodFor(base), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { run: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
  });
  assert.equal(runPodFor({ ...base, restart: '' }).spec.restartPolicy, 'Always');
});

test('run: args after NAME, or the command with --command; port, env, labels, policies, namespace', () => {
  const pod = runPodFor({
    ...base,
    restart: 'Never',
    port: '80',
    env: ['A=1', 'B=x=y'],
    labels: 'app=x,tier=fe',
    imagePullPolicy: 'IfNotPresent',
    args: ['a', 'b'],
    namespace: 'team',
  });
  assert.deepEqual(pod.metadata, { name: 'web', namespace: 'team', labels: { app: 'x', tier: 'fe' } });
  assert.equal(pod.spec.restartPolicy, 'Never');
  assert.deepEqual(pod.spec.containers, [
    {
      name: 'web',
      image: 'nginx',
      args: ['a', 'b'],
      ports: [{ containerPort: 80 }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'x=y' },
      ],
      imagePullPolicy: 'IfNotPresent',
    },
  ]);
  const cmd = runPodFor({ ...base, image: 'busybox', command: true, args: ['sh', '-c', 'echo hi'] });
  assert.deepEqual(cmd.spec.containers[0], { name: 'web', image: 'busybox', command: ['sh', '-c', 'echo hi'] });
  // kubectl keeps any number --port parses to and lets the server judge it.
  assert.deepEqual(runPodFor({ ...base, port: '-3' }).spec.containers[0].ports, [{ containerPort: -3 }]);
});

test("run: kubectl's texts for bad env, labels and port", () => {
  assert.throws(() => parseEnvs(['1A=b']), cliError('invalid env: 1A=b'));
  assert.throws(() => parseEnvs(['A']), cliError('invalid env: A'));
  assert.throws(() => parseEnvs(['=x']), cliError('invalid env: =x'));
  assert.throws(() => parseEnvs(['..a=1']), cliError('invalid env: ..a=1'));
  assert.deepEqual(parseEnvs(['my.env-name=', 'X=']), [
    { name: 'my.env-name', value: '' },
    { name: 'X', value: '' },
  ]);
  assert.throws(() => runPodFor({ ...base, labels: 'a' }), cliError('unexpected label spec: a'));
  assert.throws(() => runPodFor({ ...base, port: 'abc' }), cliError('strconv.Atoi: parsing "abc": invalid syntax'));
  // env is read before labels, as kubectl's generator does.
  assert.throws(() => runPodFor({ ...base, env: ['1=2'], labels: 'a' }), cliError('invalid env: 1=2'));
});

test("run: kubectl's checks in its order; attaching refused", () => {
  const usage = (m: string) => cliError(`${m}\nSee 'kctl run -h' for help and examples`);
  assert.throws(() => checkRunFlags({ ...base, image: '' }, noAttach), cliError('--image is required'));
  assert.throws(() => checkRunFlags({ ...base, image: 'Nginx' }, noAttach), cliError('Invalid image name "Nginx": invalid reference format'));
  assert.throws(() => checkRunFlags({ ...base, restart: 'Sometimes' }, { ...noAttach, tty: true }), usage('-i/--stdin is required for containers with -t/--tty=true'));
  assert.throws(() => checkRunFlags({ ...base, restart: 'Sometimes' }, noAttach), usage('invalid restart policy: Sometimes'));
  assert.throws(() => checkRunFlags(base, { ...noAttach, rm: true }), usage('--rm should only be used for attached containers'));
  assert.throws(
    () => checkRunFlags(base, { ...noAttach, stdin: true, dryRun: true }),
    usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)"),
  );
  for (const a of [{ stdin: true }, { stdin: true, tty: true }, { attach: true }, { attach: true, rm: true }]) {
    assert.throws(() => checkRunFlags(base, { ...noAttach, ...a }), /not supported yet/);
  }
  assert.throws(() => checkRunFlags({ ...base, imagePullPolicy: 'Bad' }, noAttach), usage('invalid image pull policy: Bad'));
  for (const restart of ['Always', 'OnFailure', 'Never']) checkRunFlags({ ...base, restart, imagePullPolicy: 'Never' }, noAttach);
});

test('image references as the distribution grammar reads them', () => {
  for (const ok of ['nginx', 'nginx:1.25', 'docker.io/library/busy_box', 'registry:5000/team/my.app:v1', 'Registry.Example.com/a/b', `busybox@sha256:${'a'.repeat(64)}`, 'localhost:5000', '[::1]:5000/x']) {
    assert.ok(isImageReference(ok), ok);
  }
  for (const bad of ['Nginx', 'nginx:', 'a//b', '-a', 'a:b:c', 'nginx@sha256:short', 'a b']) assert.ok(!isImageReference(bad), bad);
});

/** A pod as `kctl logs` ranks it: on node-1, Running, created at the start of 2026, unless told. */
function candidate(name: string, o: { node?: string; phase?: string; readySince?: string; restarts?: number; created?: string }): KubeObject {
  return pod(name, { metadata: { creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' }, node: o.node ?? 'node-1', phase: o.phase ?? 'Running', ready: o.readySince, restarts: o.restarts ?? 0 });
}

test('logs picks the first pod in ByLogging order: assigned, running, ready longest, most restarts, oldest', () => {
  const unassigned = candidate('unassigned', { node: '' });
  const pending = candidate('pending', { phase: 'Pending' });
  const running = candidate('running', {});
  const ready = candidate('ready', { readySince: '2026-01-01T00:05:00Z' });
  const readyLonger = candidate('ready-longer', { readySince: '2026-01-01T00:01:00Z' });
  assert.equal(beforeForLogs(pending, unassigned), true);
  assert.equal(beforeForLogs(running, pending), true);
  assert.equal(beforeForLogs(ready, running), true);
  assert.equal(beforeForLogs(readyLonger, ready), true);
  assert.equal(beforeForLogs(ready, readyLonger), false);
  assert.equal(firstPodForLogs([unassigned, pending, running, ready, readyLonger])?.metadata.name, 'ready-longer');
  // Unlike port-forward's choice, logs prefer the pod that restarted most: its logs tell why.
  const calm = candidate('calm', { readySince: '2026-01-01T00:01:00Z' });
  const crashing = candidate('crashing', { readySince: '2026-01-01T00:01:00Z', restarts: 3 });
  assert.equal(firstPodForLogs([calm, crashing])?.metadata.name, 'crashing');
  assert.equal(mostActivePod([calm, crashing])?.metadata.name, 'calm');
  const older = candidate('older', { created: '2026-01-01T00:00:00Z' });
  const newer = candidate('newer', { created: '2026-01-02T00:00:00Z' });
  assert.equal(firstPodForLogs([newer, older])?.metadata.name, 'older');
  assert.equal(firstPodForLogs([]), undefined);
});

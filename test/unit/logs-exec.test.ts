import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { parseLogRequest } from '../../src/nodeagent/server/log-request.js';
import { missingLogsMessage } from '../../src/nodeagent/server/missing-container.js';
import { pickRun } from '../../src/nodeagent/server/pod-containers.js';
import { TokenReviewer } from '../../src/nodeagent/server/token-reviewer.js';
import { agentEndpoint, agentPath, podContainer } from '../../src/apiserver/http/pod-stream-target.js';
import { reviewToken } from '../../src/apiserver/http/token-review.js';
import { logQuery, type LogFlags } from '../../src/cli/commands/logs.js';
import { execQuery } from '../../src/cli/commands/exec.js';
import { defaultContainer, podNameArg } from '../../src/cli/pod-target.js';
import type { ContainerSummary } from '../../src/nodeagent/docker/types.js';
import { pod } from '../helpers/builders.js';

/** The pod x with containers and init containers of these names and nothing else. */
function podWith(containers: string[], init: string[] = [], annotations?: Record<string, string>): KubeObject {
  const named = (names: string[]) => names.map((name) => ({ name }));
  return pod('x', { metadata: { namespace: 'default', ...(annotations ? { annotations } : {}) }, spec: { containers: named(containers), ...(init.length ? { initContainers: named(init) } : {}) } });
}

test('agent: the log query becomes engine options, checked as PodLogOptions are', () => {
  const now = new Date('2026-01-01T00:01:00Z');
  const r = parseLogRequest(new URLSearchParams('follow=true&previous=true&timestamps=true&tailLines=5&sinceSeconds=60&limitBytes=10'), now);
  assert.deepEqual(r, { previous: true, limitBytes: 10, docker: { follow: true, timestamps: true, tail: 5, since: new Date('2026-01-01T00:00:00Z') } });
  assert.deepEqual(parseLogRequest(new URLSearchParams(''), now), { previous: false, docker: { follow: false, timestamps: false } });
  assert.deepEqual(parseLogRequest(new URLSearchParams('sinceTime=2025-12-31T23:00:00Z'), now).docker.since, new Date('2025-12-31T23:00:00Z'));
  assert.throws(() => parseLogRequest(new URLSearchParams('tailLines=-1'), now), /tailLines: Invalid value: -1: must be greater than or equal to 0/);
  assert.throws(() => parseLogRequest(new URLSearchParams('limitBytes=0'), now), /limitBytes: Invalid value: 0: must be greater than 0/);
  assert.throws(() => parseLogRequest(new URLSearchParams('sinceSeconds=5&sinceTime=2025-12-31T23:00:00Z'), now), /at most one of `sinceTime` or `sinceSeconds`/);
  assert.throws(() => parseLogRequest(new URLSearchParams('sinceTime=yesterday'), now), /sinceTime: Invalid value/);
});

test('agent: why there are no logs, in the kubelet words', () => {
  assert.equal(missingLogsMessage('x', 'app', {}, false), 'container "app" in pod "x" is not available');
  const waiting = { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] };
  assert.equal(missingLogsMessage('x', 'app', waiting, false), 'container "app" in pod "x" is waiting to start: ContainerCreating');
  assert.equal(missingLogsMessage('x', 'app', waiting, true), 'previous terminated container "app" in pod "x" not found');
  const pull = { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }] };
  assert.equal(missingLogsMessage('x', 'app', pull, false), 'container "app" in pod "x" is waiting to start: trying and failing to pull image');
});

test('agent: the current run has the highest restart count; previous is the one before; the newest pod UID wins', () => {
  const c = (id: string, uid: string, restart: number, created: number) =>
    ({ Id: id, Created: created, Labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.container.restartCount': String(restart) } }) as unknown as ContainerSummary;
  const runs = [c('a0', 'u1', 0, 10), c('a2', 'u1', 2, 30), c('a1', 'u1', 1, 20)];
  assert.equal(pickRun(runs, false)?.Id, 'a2');
  assert.equal(pickRun(runs, true)?.Id, 'a1');
  assert.equal(pickRun([c('a0', 'u1', 0, 10)], true), undefined);
  assert.equal(pickRun([...runs, c('b0', 'u2', 0, 40)], false)?.Id, 'b0');
  assert.equal(pickRun([], false), undefined);
});

test('agent: token reviews are cached for a minute', async () => {
  let now = 0;
  const asked: string[] = [];
  const client = {
    request: async (_m: string, _p: string, body?: any) => {
      asked.push(body.spec.token);
      return { status: body.spec.token === 'good' ? { authenticated: true, user: { username: 'kube-apiserver-kubelet-client', groups: ['system:authenticated'] } } : { user: {} } } as any;
    },
  };
  const reviewer = new TokenReviewer(client, () => now);
  assert.deepEqual(await reviewer.review('good'), { username: 'kube-apiserver-kubelet-client', groups: ['system:authenticated'] });
  assert.equal(await reviewer.review('bad'), undefined);
  now = 59_000;
  await reviewer.review('good');
  await reviewer.review('bad');
  assert.deepEqual(asked, ['good', 'bad']);
  now = 61_000;
  await reviewer.review('good');
  assert.deepEqual(asked, ['good', 'bad', 'good']);
});

test('apiserver: the container of a log or exec request, with Kubernetes texts', () => {
  assert.equal(podContainer(podWith(['app']), undefined, 'log'), 'app');
  assert.equal(podContainer(podWith(['a', 'b'], ['i']), 'i', 'log'), 'i');
  assert.throws(() => podContainer(podWith(['app']), 'nope', 'log'), { reason: 'BadRequest', message: 'container nope is not valid for pod x' });
  assert.throws(() => podContainer(podWith(['a', 'b'], ['i']), undefined, 'log'), { message: 'a container name must be specified for pod x, choose one of: [i a b]' });
  assert.throws(() => podContainer(podWith(['a', 'b'], ['i']), undefined, 'exec'), {
    message: 'a container name must be specified for pod x, choose one of: [a b] or one of the init containers: [i]',
  });
});

test('apiserver: the agent is at the InternalIP and daemonEndpoints port; only known parameters are forwarded', () => {
  const node = {
    metadata: { name: 'node-1' },
    status: { addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 4321 } } },
  };
  assert.deepEqual(agentEndpoint(node), { host: '127.0.0.1', port: 4321 });
  assert.throws(() => agentEndpoint({ metadata: { name: 'node-2' }, status: {} }), { reason: 'ServiceUnavailable' });
  const q = new URLSearchParams('container=app&follow=true&tailLines=3&pretty=true');
  assert.equal(agentPath('containerLogs', 'default', 'web', 'app', q), '/containerLogs/default/web/app?follow=true&tailLines=3');
  const e = new URLSearchParams('container=app&command=sh&command=-c&command=echo+hi&stdout=true');
  assert.equal(agentPath('exec', 'default', 'web', 'app', e), '/exec/default/web/app?command=sh&command=-c&command=echo+hi&stdout=true');
});

test('apiserver: a TokenReview is answered from the authenticator', () => {
  const auth = (t: string) => (t === 'ok' ? { name: 'admin', groups: ['system:masters', 'system:authenticated'] } : undefined);
  const yes = reviewToken({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'ok' } }, auth) as any;
  assert.deepEqual(yes.status, { authenticated: true, user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] } });
  assert.deepEqual((reviewToken({ spec: { token: 'no' } }, auth) as any).status, { user: {} });
  assert.throws(() => reviewToken({ spec: {} }, auth), { reason: 'Invalid' });
});

test('cli: kubectl logs flags become the pods/log query', () => {
  const base: LogFlags = { tail: -1, limitBytes: 0 };
  assert.equal(logQuery(base, 'app').toString(), 'container=app');
  assert.equal(logQuery({ ...base, selector: 'a=b' }, 'app').toString(), 'container=app&tailLines=10');
  assert.equal(logQuery({ ...base, follow: true, previous: true, timestamps: true, tail: 0, since: '2m' }, 'c').toString(), 'container=c&follow=true&previous=true&timestamps=true&tailLines=0&sinceSeconds=120');
  assert.equal(logQuery({ ...base, since: '1h30m', limitBytes: 100 }, 'c').get('sinceSeconds'), '5400');
  assert.equal(logQuery({ ...base, sinceTime: '2026-01-01T00:00:00Z' }, 'c').get('sinceTime'), '2026-01-01T00:00:00Z');
  assert.throws(() => logQuery({ ...base, tail: -2 }, 'c'), /--tail must be greater than or equal to -1/);
  assert.throws(() => logQuery({ ...base, since: '5x' }, 'c'), /invalid argument "5x" for "--since" flag/);
  assert.throws(() => logQuery({ ...base, since: '5s', sinceTime: '2026-01-01T00:00:00Z' }, 'c'), /at most one of/);
});

test('cli: the exec query and the default container, as kubectl picks it', () => {
  assert.equal(execQuery({ container: 'app', command: ['sh', '-c', 'echo hi'], stdin: false, tty: false }).toString(), 'command=sh&command=-c&command=echo+hi&container=app&stdout=true&stderr=true');
  assert.equal(execQuery({ container: 'app', command: ['sh'], stdin: true, tty: true }).toString(), 'command=sh&container=app&stdin=true&stdout=true&tty=true');
  assert.deepEqual(defaultContainer(podWith(['app'])), { container: 'app', notices: [] });
  assert.deepEqual(defaultContainer(podWith(['a', 'b'], ['i'])), { container: 'a', notices: ['Defaulted container "a" out of: a, b, i (init)'] });
  assert.deepEqual(defaultContainer(podWith(['a', 'b'], [], { 'kubectl.kubernetes.io/default-container': 'b' })), { container: 'b', notices: [] });
  assert.equal(podNameArg('pod/web', 'logs'), 'web');
  assert.equal(podNameArg('po/web', 'logs'), 'web');
  assert.equal(podNameArg('web', 'logs'), 'web');
  assert.throws(() => podNameArg('svc/web', 'logs'), /only pods are supported/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types.js';
import { daemonSetRolloutStatus, deploymentRolloutStatus, statefulSetRolloutStatus } from '../../src/cli/commands/rollout/status-viewer.js';
import { planRollback, planRevisionRollback, revisionReplicaSet } from '../../src/cli/commands/rollout/rollbacker.js';
import { rollbackRevision } from '../../src/cli/commands/rollout/controller-revisions.js';
import { controllerRevisionHistory, viewEntries, viewHistory } from '../../src/cli/commands/rollout/history.js';
import { localRfc3339 } from '../../src/cli/commands/rollout/restart.js';
import { imagePatch, splitImageArgs } from '../../src/cli/commands/set/image.js';

function d(status: Record<string, unknown>, generation = 2, extra: Record<string, unknown> = {}): KubeObject {
  return { kind: 'Deployment', metadata: { name: 'django', generation, annotations: { 'deployment.kubernetes.io/revision': '2' } }, spec: { replicas: 3, ...extra }, status };
}

test("rollout status speaks kubectl's lines", () => {
  const cases: Array<[Record<string, unknown>, string, boolean, number?]> = [
    [{ observedGeneration: 1 }, 'Waiting for deployment spec update to be observed...', false],
    [{ observedGeneration: 2, replicas: 4, updatedReplicas: 1 }, 'Waiting for deployment "django" rollout to finish: 1 out of 3 new replicas have been updated...', false],
    [{ observedGeneration: 2, replicas: 4, updatedReplicas: 3 }, 'Waiting for deployment "django" rollout to finish: 1 old replicas are pending termination...', false],
    [{ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 }, 'Waiting for deployment "django" rollout to finish: 1 of 3 updated replicas are available...', false],
    [{ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, 'deployment "django" successfully rolled out', true],
  ];
  for (const [status, message, done] of cases) assert.deepEqual(deploymentRolloutStatus(d(status)), { message, done });
  assert.throws(
    () => deploymentRolloutStatus(d({ observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] })),
    /deployment "django" exceeded its progress deadline/,
  );
  assert.throws(() => deploymentRolloutStatus(d({ observedGeneration: 2 }), 3), /desired revision \(3\) is different from the running revision \(2\)/);
});

function rs(revision: string, image: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    metadata: { name: `django-${revision}`, annotations: { 'deployment.kubernetes.io/revision': revision, ...annotations } },
    spec: { template: { metadata: { labels: { app: 'django', 'pod-template-hash': `h${revision}` } }, spec: { containers: [{ name: 'django', image }] } } },
  };
}

test("rollout status of a StatefulSet speaks kubectl's lines", () => {
  const sts = (status: object, strategy: object = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }): KubeObject =>
    ({ metadata: { name: 'web', generation: 2 }, spec: { replicas: 3, updateStrategy: strategy }, status } as KubeObject);
  const state = (status: object, strategy?: object) => statefulSetRolloutStatus(sts(status, strategy));
  assert.deepEqual(state({ observedGeneration: 1 }), { message: 'Waiting for statefulset spec update to be observed...', done: false });
  assert.deepEqual(state({ observedGeneration: 2, readyReplicas: 1 }), { message: 'Waiting for 2 pods to be ready...', done: false });
  assert.deepEqual(state({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }), { message: 'Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...', done: false });
  assert.deepEqual(state({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 }), { message: 'partitioned roll out complete: 3 new pods have been updated...', done: true });
  const noPartition = { type: 'RollingUpdate' };
  assert.deepEqual(state({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'web-a', updateRevision: 'web-b' }, noPartition), {
    message: 'waiting for statefulset rolling update to complete 1 pods at revision web-b...',
    done: false,
  });
  assert.throws(() => state({ observedGeneration: 2 }, { type: 'OnDelete' }), /rollout status is only available for RollingUpdate strategy type/);
});

test('rollout undo: the previous revision by default, the template without its hash, the annotations kubectl keeps', () => {
  const deployment: KubeObject = {
    metadata: { name: 'django', annotations: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'v3', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: { template: { metadata: { labels: { app: 'django' } }, spec: { containers: [{ name: 'django', image: 'c' }] } } },
  };
  const sets = [rs('1', 'a', { 'kubernetes.io/change-cause': 'v1' }), rs('3', 'c'), rs('2', 'b', { 'kubernetes.io/change-cause': 'v2' })];
  const previous = revisionReplicaSet(deployment, sets, 0);
  assert.equal(previous.metadata.name, 'django-2');
  assert.equal(revisionReplicaSet(deployment, sets, 1).metadata.name, 'django-1');
  assert.throws(() => revisionReplicaSet(deployment, sets, 7), /unable to find specified revision 7 in history/);
  assert.throws(() => revisionReplicaSet(deployment, [sets[1]], 0), /no rollout history found for deployment "django"/);
  const plan = planRollback(deployment, previous, 0);
  assert.equal(plan.kind, 'patch');
  assert.deepEqual(plan.kind === 'patch' && plan.patch, [
    { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'django' } }, spec: { containers: [{ name: 'django', image: 'b' }] } } },
    { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kubernetes.io/change-cause': 'v2' } },
  ]);
  assert.deepEqual(planRollback(deployment, sets[1], 3), { kind: 'skip', revision: 3 });
  assert.throws(() => planRollback({ ...deployment, spec: { ...deployment.spec, paused: true } }, previous, 0), /you cannot rollback a paused deployment/);
});

test('rollout history: REVISION and CHANGE-CAUSE, sorted, <none> without a cause', () => {
  const out = viewHistory([rs('2', 'b', { 'kubernetes.io/change-cause': 'kctl set image deployment/django django=b' }), rs('1', 'a')], 0);
  assert.equal(out, 'REVISION  CHANGE-CAUSE\n1         <none>\n2         kctl set image deployment/django django=b\n');
  assert.equal(viewHistory([], 0), 'No rollout history found.');
  assert.match(viewHistory([rs('1', 'a')], 1), /^Pod Template:\n {2}Labels:\tapp=django\n\tpod-template-hash=h1\n {2}Containers:\n {3}django:\n {4}Image:\ta\n/);
  assert.throws(() => viewHistory([rs('1', 'a')], 4), /unable to find the specified revision/);
});

test('set image: a strategic patch naming only the changed containers; * for all; unknown names reported', () => {
  assert.deepEqual(splitImageArgs(['deployment/web', 'app=busybox:1.36']), { resources: ['deployment/web'], images: new Map([['app', 'busybox:1.36']]) });
  const deployment: KubeObject = {
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { spec: { initContainers: [{ name: 'init', image: 'a' }], containers: [{ name: 'app', image: 'a' }, { name: 'side', image: 'b' }] } } },
  };
  assert.deepEqual(imagePatch(deployment, new Map([['app', 'c']])), { patch: { spec: { template: { spec: { containers: [{ name: 'app', image: 'c' }] } } } }, missing: [] });
  assert.deepEqual(imagePatch(deployment, new Map([['*', 'b']])).patch, {
    spec: { template: { spec: { containers: [{ name: 'app', image: 'b' }], initContainers: [{ name: 'init', image: 'b' }] } } },
  });
  assert.deepEqual(imagePatch(deployment, new Map([['app', 'a'], ['nope', 'x']])), { missing: ['nope'] });
  const pod: KubeObject = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'a' }] } };
  assert.deepEqual(imagePatch(pod, new Map([['c', 'z']])).patch, { spec: { containers: [{ name: 'c', image: 'z' }] } });
});

test("rollout restart's timestamp is Go's RFC 3339 in local time", () => {
  assert.match(localRfc3339(new Date('2024-05-01T12:00:00.123Z')), /^2024-05-0\dT\d\d:\d\d:00(Z|[+-]\d\d:\d\d)$/);
});

test('rollout status of a DaemonSet: kubectl\'s messages, and an error for OnDelete', () => {
  const ds = (status: object, updateStrategy: object = { type: 'RollingUpdate' }): KubeObject => ({ kind: 'DaemonSet', metadata: { name: 'agent', generation: 2 }, spec: { updateStrategy }, status });
  assert.deepEqual(daemonSetRolloutStatus(ds({ observedGeneration: 1 })), { message: 'Waiting for daemon set spec update to be observed...', done: false });
  assert.deepEqual(daemonSetRolloutStatus(ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 1 })), {
    message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...',
    done: false,
  });
  assert.deepEqual(daemonSetRolloutStatus(ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 })), {
    message: 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...',
    done: false,
  });
  assert.deepEqual(daemonSetRolloutStatus(ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 })), { message: 'daemon set "agent" successfully rolled out', done: true });
  assert.throws(() => daemonSetRolloutStatus(ds({}, { type: 'OnDelete' })), /rollout status is only available for RollingUpdate strategy type/);
});

test('rollout history of a DaemonSet: its ControllerRevisions with their change-cause, one revision\'s template', () => {
  const revision = (n: number, image: string, cause?: string): KubeObject => ({
    kind: 'ControllerRevision',
    metadata: { name: `agent-${n}`, ...(cause ? { annotations: { 'kubernetes.io/change-cause': cause } } : {}) },
    revision: n,
    data: { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }] } } } },
  });
  const entries = controllerRevisionHistory([revision(2, 'busybox:1.36', 'new image'), revision(1, 'busybox:1.35')]);
  assert.equal(viewEntries(entries, 0), 'REVISION  CHANGE-CAUSE\n1         <none>\n2         new image\n');
  assert.match(viewEntries(entries, 2), /Image:\tbusybox:1\.36/);
  assert.doesNotMatch(viewEntries(entries, 2), /patch/);
  assert.throws(() => viewEntries(entries, 3), /unable to find the specified revision/);
  assert.equal(viewEntries([], 0), 'No rollout history found.');
});

test('a StatefulSet\'s (or DaemonSet\'s) history and undo come from its ControllerRevisions', () => {
  const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
  const revision = (n: number, image: string, cause?: string): KubeObject =>
    ({ metadata: { name: `web-${n}`, ...(cause ? { annotations: { 'kubernetes.io/change-cause': cause } } : {}) }, revision: n, data: { spec: { template: { ...template(image), $patch: 'replace' } } } } as KubeObject);
  const history = [revision(3, 'busybox:3', 'third'), revision(1, 'busybox:1')];
  assert.equal(viewEntries(controllerRevisionHistory(history), 0), 'REVISION  CHANGE-CAUSE\n1         <none>\n3         third\n');
  assert.equal(rollbackRevision(history, 0).revision, 1);
  assert.equal(rollbackRevision(history, 3).revision, 3);
  assert.throws(() => rollbackRevision(history, 2), /unable to find specified revision 2 in history/);
  assert.throws(() => rollbackRevision([history[0]], 0), /no last revision to roll back to/);
  const sts = { metadata: { name: 'web' }, spec: { template: template('busybox:3') } } as KubeObject;
  assert.deepEqual(planRevisionRollback(sts, history[0]), { kind: 'skip', revision: 3 });
  // As kubectl's rollbackers, the revision's data goes back as a strategic merge patch replacing the template.
  assert.deepEqual(planRevisionRollback(sts, history[1]), { kind: 'patch', template: template('busybox:1'), patchType: 'strategic', patch: { spec: { template: { ...template('busybox:1'), $patch: 'replace' } } } });
});

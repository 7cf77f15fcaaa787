import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { planJobSync, type JobPlan } from '../../src/apiserver/controllers/job/job-sync.js';
import { backoffDelayMs } from '../../src/apiserver/controllers/job/backoff.js';
import { formatIndexes, parseIndexes } from '../../src/apiserver/controllers/job/indexes.js';
import { podForJob } from '../../src/apiserver/controllers/job/job-pod.js';
import { pod } from '../helpers/builders.js';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString().replace('.000Z', 'Z');

function makeJob(spec: Partial<Job['spec']> = {}, status: Job['status'] = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } }, ...spec },
    status: { startTime: at(100), ...status },
  };
}

let serial = 0;
/** Pod j-N of the Job in phase, a second younger than the one before; its one container ran (endedAgo) or runs. */
function jobPod(phase: string, opts: { endedAgo?: number; deleting?: boolean; index?: number; ready?: boolean; restarts?: number } = {}): Pod {
  serial++;
  return pod(`j-${serial}`, {
    metadata: {
      uid: `pod-${serial}`,
      creationTimestamp: at(200 - serial),
      ...(opts.deleting ? { deletionTimestamp: at(0) } : {}),
      ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
    },
    node: 'node-1',
    spec: { containers: [] },
    phase,
    ready: !!opts.ready,
    status: {
      containerStatuses: [
        {
          name: 'c', image: 'i', imageID: '', ready: !!opts.ready, restartCount: opts.restarts ?? 0,
          state: opts.endedAgo !== undefined ? { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at(opts.endedAgo) } } : { running: {} },
        },
      ],
    },
  }) as Pod;
}

const summary = (plan: JobPlan) => ({
  create: plan.create,
  delete: plan.delete.map((p) => p.metadata!.name),
  active: plan.status.active,
  succeeded: plan.status.succeeded,
  failed: plan.status.failed,
  conditions: (plan.status.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`),
  requeueAfterMs: plan.requeueAfterMs,
});

test('how many pods to create or delete, and the conditions', () => {
  serial = 0;
  const running = jobPod('Running', { ready: true });
  const failedNow = jobPod('Failed', { endedAgo: 0 });
  const failedLongAgo = jobPod('Failed', { endedAgo: 120 });
  const succeeded = jobPod('Succeeded', { endedAgo: 5 });
  const cases: Array<[string, Job, Pod[], Set<string> | undefined, Partial<ReturnType<typeof summary>>]> = [
    ['a new job creates its first pod', makeJob(), [], new Set(), { create: [undefined], active: 1, succeeded: 0, failed: 0, conditions: [] }],
    ['parallelism 3, completions 5: three at once', makeJob({ parallelism: 3, completions: 5 }), [], new Set(), { create: [undefined, undefined, undefined], active: 3 }],
    ['only the completions left are started', makeJob({ parallelism: 3, completions: 2 }, { succeeded: 1 }), [succeeded], new Set([succeeded.metadata!.uid!]), { create: [undefined], active: 1, succeeded: 1 }],
    ['a running pod is enough', makeJob(), [running], new Set(), { create: [], active: 1 }],
    ['parallelism lowered: extra pods go', makeJob({ parallelism: 1, completions: 3 }), [running, jobPod('Pending')], new Set(), { delete: ['j-5'], active: 1 }],
    ['a failure just now: the replacement waits 10 s', makeJob({}, { failed: 1 }), [failedNow], new Set([failedNow.metadata!.uid!]), { create: [], failed: 1, requeueAfterMs: 10_000 }],
    ['a failure long ago: the replacement starts', makeJob({}, { failed: 1 }), [failedLongAgo], new Set([failedLongAgo.metadata!.uid!]), { create: [undefined], failed: 1, requeueAfterMs: undefined }],
    ['a newly seen failure is counted', makeJob({}, { failed: 0 }), [failedNow], new Set(), { failed: 1 }],
    ['past the backoff limit: FailureTarget, then Failed once no pod runs', makeJob({ backoffLimit: 1 }, { failed: 1 }), [failedNow], new Set(), {
      create: [], failed: 2, conditions: ['FailureTarget=True:BackoffLimitExceeded', 'Failed=True:BackoffLimitExceeded'],
    }],
    ['failing with a pod still running: it is deleted first and counted as failed', makeJob({ backoffLimit: 0 }), [failedNow, running], new Set(), {
      delete: ['j-1'], failed: 2, active: 0, conditions: ['FailureTarget=True:BackoffLimitExceeded'],
    }],
    ['completions reached: SuccessCriteriaMet and Complete', makeJob(), [succeeded], new Set(), { succeeded: 1, active: 0, conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'] }],
    ['completions reached while a pod is being deleted: Complete waits', makeJob({ completions: 1, parallelism: 2 }, { succeeded: 1 }), [succeeded, jobPod('Running', { deleting: true })], new Set([succeeded.metadata!.uid!]), {
      conditions: ['SuccessCriteriaMet=True:CompletionsReached'],
    }],
    ['past the active deadline', makeJob({ activeDeadlineSeconds: 60 }), [running], new Set(), { delete: ['j-1'], conditions: ['FailureTarget=True:DeadlineExceeded'] }],
    ['before the active deadline: look again then', makeJob({ activeDeadlineSeconds: 160 }), [running], new Set(), { requeueAfterMs: 60_000 }],
    ['restartPolicy OnFailure counts restarts', makeJob({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } }), [jobPod('Running', { restarts: 2 })], new Set(), {
      conditions: ['FailureTarget=True:BackoffLimitExceeded'],
    }],
    ['no completions: done when one succeeded and none runs', makeJob({ completions: undefined, parallelism: 2 }), [succeeded], new Set(), { create: [], conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'] }],
    ['no completions: after a success no new pods', makeJob({ completions: undefined, parallelism: 2 }), [succeeded, running], new Set(), { create: [], active: 1, conditions: [] }],
    ['suspended: pods stop, not counted as failures', makeJob({ suspend: true }), [running], new Set(), { delete: ['j-1'], failed: 0, conditions: ['Suspended=True:JobSuspended'] }],
    ['first look after a restart: counts never go below the stored ones', makeJob({ completions: 5 }, { succeeded: 3 }), [succeeded], undefined, { succeeded: 3 }],
    ['first look after a restart: finished pods the status missed are counted', makeJob({ completions: 5 }, { succeeded: 0 }), [succeeded], undefined, { succeeded: 1 }],
  ];
  for (const [name, job, pods, counted, want] of cases) {
    const got = summary(planJobSync({ job, pods, now: NOW, counted }));
    for (const [key, value] of Object.entries(want)) assert.deepEqual(got[key as keyof typeof got], value, `${name}: ${key}`);
  }
});

test('a finished job is left alone; events say what happened', () => {
  const done = makeJob({}, { conditions: [{ type: 'Complete', status: 'True' }] });
  const plan = planJobSync({ job: done, pods: [jobPod('Running')], now: NOW, counted: new Set() });
  assert.deepEqual([plan.create, plan.delete, plan.events], [[], [], []]);
  const failing = planJobSync({ job: makeJob({ backoffLimit: 0 }), pods: [jobPod('Failed', { endedAgo: 1 })], now: NOW, counted: new Set() });
  assert.deepEqual(failing.events, [{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  const completing = planJobSync({ job: makeJob(), pods: [jobPod('Succeeded', { endedAgo: 1 })], now: NOW, counted: new Set() });
  assert.deepEqual(completing.events, [{ type: 'Normal', reason: 'Completed', message: 'Job completed' }]);
  assert.equal(completing.status.completionTime, '2024-05-01T10:00:00Z');
});

test('Indexed jobs: missing indexes lowest first, duplicates and done indexes deleted', () => {
  serial = 0;
  const indexed = (status: Job['status'] = {}) => makeJob({ completionMode: 'Indexed', completions: 4, parallelism: 2 }, status);
  const cases: Array<[string, Job, Pod[], Partial<ReturnType<typeof summary>> & { completedIndexes?: string }]> = [
    ['starts 0 and 1', indexed(), [], { create: [0, 1] }],
    ['0 done, 1 running: starts 2', indexed(), [jobPod('Succeeded', { index: 0, endedAgo: 50 }), jobPod('Running', { index: 1 })], { create: [2], completedIndexes: '0' }],
    ['a second pod of index 1 goes', indexed(), [jobPod('Running', { index: 1, ready: true }), jobPod('Pending', { index: 1 })], { delete: ['j-4'], create: [0] }],
    ['completed indexes from the status count', indexed({ completedIndexes: '0-2' }), [], { create: [3], completedIndexes: '0-2' }],
    ['all done', indexed({ completedIndexes: '0-3' }), [], { create: [], conditions: ['SuccessCriteriaMet=True:CompletionsReached', 'Complete=True:CompletionsReached'] }],
  ];
  for (const [name, job, pods, want] of cases) {
    const plan = planJobSync({ job, pods, now: NOW, counted: new Set() });
    const got = { ...summary(plan), completedIndexes: plan.status.completedIndexes };
    for (const [key, value] of Object.entries(want)) assert.deepEqual(got[key as keyof typeof got], value, `${name}: ${key}`);
  }
});

test('pod failure back-off: 10 s doubling, at most 10 minutes', () => {
  assert.deepEqual([0, 1, 2, 3, 6, 7, 20].map(backoffDelayMs), [0, 10_000, 20_000, 40_000, 320_000, 600_000, 600_000]);
});

test('completed indexes as ranges', () => {
  const cases: Array<[number[], string]> = [[[], ''], [[0], '0'], [[0, 1, 2], '0-2'], [[5, 1, 3, 4, 7], '1,3-5,7']];
  for (const [indexes, text] of cases) {
    assert.equal(formatIndexes(indexes), text);
    assert.deepEqual([...parseIndexes(text)].sort((a, b) => a - b), [...new Set(indexes)].sort((a, b) => a - b));
  }
});

test('the pod of an Indexed job carries its index', () => {
  const job = makeJob({ completionMode: 'Indexed', completions: 3, template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } });
  const p = podForJob(job, 2);
  assert.equal(p.metadata!.generateName, 'j-2-');
  assert.deepEqual(p.metadata!.labels, { a: 'b', 'batch.kubernetes.io/job-completion-index': '2' });
  assert.deepEqual(p.metadata!.annotations, { 'batch.kubernetes.io/job-completion-index': '2' });
  assert.equal(p.spec!.hostname, 'j-2');
  assert.deepEqual(p.spec!.containers[0].env, [
    { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
  ]);
  assert.deepEqual(p.metadata!.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(podForJob(job, undefined).metadata!.generateName, 'j-');
});

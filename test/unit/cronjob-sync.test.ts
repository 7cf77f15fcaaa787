import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { jobNameFor, planCronJobSync, rfc1123z, zonedRfc3339 } from '../../src/apiserver/controllers/cronjob/cronjob-sync.js';

function cronJob(spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cj', namespace: 'default', uid: 'cj-uid', creationTimestamp: '2024-05-01T09:00:30Z' },
    spec: {
      schedule: '*/10 * * * *',
      timeZone: 'UTC',
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { app: 'x' } }, spec: { template: { spec: { containers: [] } } } },
      ...spec,
    },
    status,
  };
}

function job(name: string, finished?: 'Complete' | 'Failed', startTime?: string): Job {
  return {
    metadata: { name, namespace: 'default', uid: `${name}-uid` },
    status: { ...(startTime ? { startTime } : {}), ...(finished ? { conditions: [{ type: finished, status: 'True' }], ...(finished === 'Complete' ? { completionTime: startTime } : {}) } : {}) },
  };
}
const ref = (name: string) => ({ apiVersion: 'batch/v1', kind: 'Job', name, namespace: 'default', uid: `${name}-uid` });
const now = (t: string) => new Date(t);

test('whether a scheduled run is due, and what happens to the running ones', () => {
  const name = (t: string) => jobNameFor('cj', now(t));
  const cases: Array<[string, CronJob, Job[], string, { create?: string; replace?: string[]; events?: string[]; requeueAfterMs?: number }]> = [
    ['nothing due yet', cronJob(), [], '2024-05-01T09:05:00Z', { create: undefined, requeueAfterMs: 300_100 }],
    ['due: a job named after the minute', cronJob(), [], '2024-05-01T09:10:02Z', { create: name('2024-05-01T09:10:00Z'), requeueAfterMs: 598_100 }],
    ['already started for that time', cronJob({}, { lastScheduleTime: '2024-05-01T09:10:00Z' }), [], '2024-05-01T09:10:05Z', { create: undefined }],
    ['missed runs: only the latest starts', cronJob(), [], '2024-05-01T09:45:00Z', { create: name('2024-05-01T09:40:00Z') }],
    ['Allow: runs beside an active job', cronJob({}, { active: [ref('cj-1')] }), [job('cj-1')], '2024-05-01T09:10:00Z', { create: name('2024-05-01T09:10:00Z') }],
    ['Forbid: not while one runs', cronJob({ concurrencyPolicy: 'Forbid' }, { active: [ref('cj-1')] }), [job('cj-1')], '2024-05-01T09:10:00Z', {
      create: undefined, events: ['JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'],
    }],
    ['Replace: the running one goes', cronJob({ concurrencyPolicy: 'Replace' }, { active: [ref('cj-1')] }), [job('cj-1')], '2024-05-01T09:10:00Z', { create: name('2024-05-01T09:10:00Z'), replace: ['cj-1'] }],
    ['suspended: nothing starts', cronJob({ suspend: true }), [], '2024-05-01T09:10:00Z', { create: undefined, requeueAfterMs: undefined }],
    ['past the starting deadline: missed', cronJob({ startingDeadlineSeconds: 30 }), [], '2024-05-01T09:11:00Z', { create: undefined }],
    ['within the starting deadline: started late', cronJob({ startingDeadlineSeconds: 90 }), [], '2024-05-01T09:11:00Z', { create: name('2024-05-01T09:10:00Z') }],
    ['a finished active job leaves the list', cronJob({}, { active: [ref('cj-1')] }), [job('cj-1', 'Complete', '2024-05-01T09:01:00Z')], '2024-05-01T09:05:00Z', {
      events: ['SawCompletedJob: Saw completed job: cj-1, status: Complete'],
    }],
    ['an active job that vanished', cronJob({}, { active: [ref('cj-1')] }), [], '2024-05-01T09:05:00Z', { events: ['MissingJob: Active job went missing: cj-1'] }],
    ['a running job not in the list', cronJob(), [job('other')], '2024-05-01T09:05:00Z', { events: ['UnexpectedJob: Saw a job that the controller did not create or forgot: other'] }],
    ['days of missed runs', cronJob({ schedule: '* * * * *' }), [], '2024-05-03T09:00:30Z', { create: name('2024-05-03T09:00:00Z'), events: ['TooManyMissedTimes: too many missed start times: 2880. Set or decrease .spec.startingDeadlineSeconds or check clock skew'] }],
  ];
  for (const [name, cj, jobs, at, want] of cases) {
    const plan = planCronJobSync(cj, jobs, now(at));
    if ('create' in want) assert.equal(plan.create?.job.metadata!.name, want.create, `${name}: create`);
    if (want.replace) assert.deepEqual(plan.replace.map((r) => r.name), want.replace, `${name}: replace`);
    if (want.events) assert.deepEqual(plan.events.map((e) => `${e.reason}: ${e.message}`), want.events, `${name}: events`);
    if ('requeueAfterMs' in want) assert.equal(plan.requeueAfterMs, want.requeueAfterMs, `${name}: requeue`);
  }
});

test('the job of a run and the status after it', () => {
  const plan = planCronJobSync(cronJob({ timeZone: 'Europe/Berlin', schedule: '0 11 * * *' }), [], now('2024-05-02T09:00:01Z'));
  const created = plan.create!.job;
  assert.equal(created.metadata!.name, `cj-${Date.parse('2024-05-02T09:00:00Z') / 60_000}`);
  assert.deepEqual(created.metadata!.labels, { app: 'x' });
  assert.equal(created.metadata!.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-02T11:00:00+02:00');
  assert.deepEqual(created.metadata!.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(plan.status.lastScheduleTime, '2024-05-02T09:00:00Z');
});

test('history limits delete the oldest finished jobs', () => {
  const jobs = [
    job('s1', 'Complete', '2024-05-01T09:01:00Z'),
    job('s2', 'Complete', '2024-05-01T09:02:00Z'),
    job('s3', 'Complete', '2024-05-01T09:03:00Z'),
    job('f1', 'Failed', '2024-05-01T09:01:30Z'),
    job('f2', 'Failed', '2024-05-01T09:02:30Z'),
    job('r', undefined, '2024-05-01T09:04:00Z'),
  ];
  const plan = planCronJobSync(cronJob({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }, { active: [ref('r')] }), jobs, now('2024-05-01T09:05:00Z'));
  assert.deepEqual(plan.deleteHistory.map((j) => j.metadata!.name), ['s1', 's2', 'f1']);
  assert.equal(plan.status.lastSuccessfulTime, '2024-05-01T09:03:00Z');
});

test('time formats', () => {
  assert.equal(rfc1123z(now('2024-05-01T09:00:00Z')), 'Wed, 01 May 2024 09:00:00 +0000');
  assert.equal(zonedRfc3339(now('2024-05-01T09:00:00Z'), 'UTC'), '2024-05-01T09:00:00Z');
  assert.equal(zonedRfc3339(now('2024-01-01T09:00:00Z'), 'America/New_York'), '2024-01-01T04:00:00-05:00');
  assert.equal(zonedRfc3339(now('2024-01-01T09:00:00Z'), 'Asia/Kolkata'), '2024-01-01T14:30:00+05:30');
});

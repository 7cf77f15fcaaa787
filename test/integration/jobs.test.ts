// Jobs and CronJobs on a real cluster (`kctl cluster up --nodes 1`, busybox pods in Docker): the job
// controller runs pods to completion, retries with back-off until the backoff limit, honours
// parallelism, completion indexes and the active deadline; the TTL controller deletes finished
// jobs; the cronjob controller starts scheduled runs and keeps its history limit; `kctl wait`,
// `kctl describe jobs/py` and `kctl create job` behave as kubectl's.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useNodeCluster } from '../helpers/node-cluster.js';
import { until } from '../helpers/until.js';

const JOBS = '/apis/batch/v1/namespaces/default/jobs';

function job(name: string, spec: object, command: string[]): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.35', command }] } } },
  };
}

describe('jobs and cronjobs', () => {
  const { c } = useNodeCluster(['--nodes', '1']);

  const getJob = async (name: string) => (await c.api('GET', `${JOBS}/${name}`)).body;
  const podsOf = async (name: string) =>
    (await c.api('GET', `/api/v1/namespaces/default/pods?labelSelector=batch.kubernetes.io/job-name=${name}`)).body.items as any[];
  const eventsOf = async (kind: string, name: string) =>
    ((await c.api('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.kind=${kind},involvedObject.name=${name}`)).body.items as any[]);

  before(async () => {
    // Everything slow starts at once: the failing job's back-off and the cron schedule run side by side.
    await c.create(JOBS, job('fails', { backoffLimit: 1 }, ['sh', '-c', 'exit 1']));
    await c.create('/apis/batch/v1/namespaces/default/cronjobs', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick' },
      spec: {
        schedule: '* * * * *',
        successfulJobsHistoryLimit: 1,
        jobTemplate: { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.35', command: ['true'] }] } } } },
      },
    });
  });

  test('the seeds\' py job completes; kctl wait and kubectl wait see it; describe shows kubectl\'s sections', async () => {
    assert.equal((await c.kctl(['apply', '-f', 'manifests/py-job.yaml'])).stdout, 'job.batch/py created\n');
    const waited = await c.kctl(['wait', '--for=condition=complete', 'job/py', '--timeout', '60s']);
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout, 'job.batch/py condition met\n');

    const py = await getJob('py');
    assert.deepEqual(
      py.status.conditions.map((cond: any) => [cond.type, cond.status, cond.reason, cond.message]),
      [
        ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
        ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ],
    );
    assert.equal(py.status.succeeded, 1);
    assert.ok(py.status.startTime && py.status.completionTime);
    const [pod] = await podsOf('py');
    assert.match(pod.metadata.name, /^py-[a-z0-9]{5}$/);
    assert.equal(pod.metadata.ownerReferences[0].kind, 'Job');
    assert.equal(pod.metadata.labels['controller-uid'], py.metadata.uid);
    assert.equal((await c.kctl(['logs', pod.metadata.name])).stdout, 'SUCCESS: 2 ** 10 = 1024\n');

    const described = await c.kctl(['describe', 'jobs/py']);
    assert.equal(described.code, 0, described.stderr);
    for (const line of [/^Name:\s+py$/m, /^Parallelism:\s+1$/m, /^Completions:\s+1$/m, /^Completion Mode:\s+NonIndexed$/m, /^Start Time:\s+\w{3}, \d{2} \w{3} \d{4}/m, /^Completed At:\s+/m, /^Duration:\s+\d+s$/m, /^Pod Template:$/m, /^Events:$/m]) {
      assert.match(described.stdout, line);
    }
    // Aligned with "Completion Mode:", the longest label, as kubectl's tab writer does.
    assert.match(described.stdout, /^Pods Statuses:    0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed$/m);
    assert.match(described.stdout, /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: py-[a-z0-9]{5}/);
    assert.match(described.stdout, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);

    const kubectl = await c.kubectl(['wait', '--for=condition=Complete', 'job/py', '--timeout=10s']);
    assert.equal(kubectl.code, 0, kubectl.stderr);
    assert.equal(kubectl.stdout, 'job.batch/py condition met\n');
    const jsonpath = await c.kctl(['wait', "--for=jsonpath={.status.succeeded}=1", 'jobs', 'py']);
    assert.equal(jsonpath.stdout, 'job.batch/py condition met\n');
  });

  test('kctl wait times out with kubectl\'s message and exit code 1, and waits for deletion by watching', async () => {
    const timedOut = await c.kctl(['wait', '--for=condition=Failed', 'jobs/py', '--timeout=1s']);
    assert.equal(timedOut.code, 1);
    assert.equal(timedOut.stderr, 'error: timed out waiting for the condition on jobs/py\n');
    const badFor = await c.kctl(['wait', '--for=ready', 'jobs/py']);
    assert.equal(badFor.stderr, 'error: unrecognized condition: "ready"\n');

    const waiting = c.kctl(['wait', '--for=delete', 'job/py', '--timeout=30s']);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await c.kctl(['delete', 'job', 'py', '--wait=false'])).code, 0);
    const deleted = await waiting;
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, 'job.batch/py condition met\n');
    assert.equal((await c.kctl(['wait', '--for=delete', 'job/py'])).code, 0);
  });

  test('a failing job is retried after a 10 s back-off, then fails with BackoffLimitExceeded', async () => {
    const waited = await c.kctl(['wait', '--for=condition=Failed', 'job/fails', '--timeout', '60s']);
    assert.equal(waited.code, 0, waited.stderr);
    const fails = await getJob('fails');
    const failed = fails.status.conditions.find((cond: any) => cond.type === 'Failed');
    assert.equal(failed.reason, 'BackoffLimitExceeded');
    assert.equal(failed.message, 'Job has reached the specified backoff limit');
    assert.ok(fails.status.conditions.some((cond: any) => cond.type === 'FailureTarget' && cond.reason === 'BackoffLimitExceeded'));
    assert.equal(fails.status.failed, 2);
    assert.equal(fails.status.completionTime, undefined);
    const pods = (await podsOf('fails')).sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp));
    assert.equal(pods.length, 2);
    const firstEnded = Date.parse(pods[0].status.containerStatuses[0].state.terminated.finishedAt);
    const gap = Date.parse(pods[1].metadata.creationTimestamp) - firstEnded;
    assert.ok(gap >= 9_000 && gap < 16_000, `replacement created ${gap} ms after the failure`);
    const events = await eventsOf('Job', 'fails');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'BackoffLimitExceeded' && e.message === 'Job has reached the specified backoff limit'));
  });

  test('completions 3 with parallelism 2 runs two pods at a time to three successes', async () => {
    await c.create(JOBS, job('par', { completions: 3, parallelism: 2 }, ['sh', '-c', 'sleep 1']));
    const active = await until('two active pods', async () => ((await getJob('par')).status?.active === 2 ? 2 : undefined), 20_000);
    assert.equal(active, 2);
    assert.equal((await c.kctl(['wait', '--for=condition=Complete', 'job/par', '--timeout=60s'])).code, 0);
    const par = await getJob('par');
    assert.equal(par.status.succeeded, 3);
    assert.equal((await podsOf('par')).length, 3);
  });

  test('an Indexed job gives each pod its completion index', async () => {
    await c.create(JOBS, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, ['sh', '-c', 'echo index=$JOB_COMPLETION_INDEX host=$(hostname)']));
    assert.equal((await c.kctl(['wait', '--for=condition=Complete', 'job/idx', '--timeout=60s'])).code, 0);
    assert.equal((await getJob('idx')).status.completedIndexes, '0-2');
    const pods = await podsOf('idx');
    const seen = [];
    for (const pod of pods) {
      const index = pod.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      assert.equal(pod.metadata.labels['batch.kubernetes.io/job-completion-index'], index);
      assert.match(pod.metadata.name, new RegExp(`^idx-${index}-[a-z0-9]{5}$`));
      assert.equal((await c.kctl(['logs', pod.metadata.name])).stdout, `index=${index} host=idx-${index}\n`);
      seen.push(index);
    }
    assert.deepEqual(seen.sort(), ['0', '1', '2']);
    const described = await c.kctl(['describe', 'job', 'idx']);
    assert.match(described.stdout, /^Completed Indexes:\s+0-2$/m);
  });

  test('activeDeadlineSeconds stops the pods and fails the job with DeadlineExceeded', async () => {
    await c.create(JOBS, job('slow', { activeDeadlineSeconds: 2 }, ['sleep', '60']));
    assert.equal((await c.kctl(['wait', '--for=condition=Failed', 'job/slow', '--timeout=40s'])).code, 0);
    const failed = (await getJob('slow')).status.conditions.find((cond: any) => cond.type === 'Failed');
    assert.deepEqual([failed.reason, failed.message], ['DeadlineExceeded', 'Job was active longer than specified deadline']);
    assert.deepEqual(await podsOf('slow'), []);
  });

  test('ttlSecondsAfterFinished deletes the finished job and its pods', async () => {
    await c.create(JOBS, job('brief', { ttlSecondsAfterFinished: 1 }, ['true']));
    const gone = await c.kctl(['wait', '--for=delete', 'job/brief', '--timeout=40s']);
    assert.equal(gone.code, 0, gone.stderr);
    await until('the pods of the deleted job to go', async () => ((await podsOf('brief')).length === 0 ? true : undefined), 20_000);
  });

  test('kctl create job --image runs a command; --from=cronjob/tick runs the template by hand', async () => {
    const created = await c.kctl(['create', 'job', 'hello', '--image=busybox:1.35', '--', 'sh', '-c', 'echo hi']);
    assert.equal(created.stdout, 'job.batch/hello created\n');
    assert.equal((await c.kctl(['wait', '--for=condition=Complete', 'job/hello', '--timeout=60s'])).code, 0);
    const hello = await getJob('hello');
    assert.equal(hello.spec.template.spec.containers[0].name, 'hello');

    const manual = await c.kctl(['create', 'job', 'manual', '--from=cronjob/tick']);
    assert.equal(manual.stdout, 'job.batch/manual created\n');
    const job = await getJob('manual');
    assert.equal(job.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(job.metadata.labels.app, 'tick');
    assert.deepEqual(job.metadata.ownerReferences.map((r: any) => [r.kind, r.name, r.controller]), [['CronJob', 'tick', true]]);
    const missing = await c.kctl(['create', 'job', 'x', '--from=cronjob/nope']);
    assert.equal(missing.stderr, 'Error from server (NotFound): cronjobs.batch "nope" not found\n');
  });

  test('the cronjob starts a scheduled run and keeps one successful job', async () => {
    const scheduled = await until(
      'a scheduled run of tick',
      async () => (await c.api('GET', `${JOBS}?labelSelector=app=tick`)).body.items.find((j: any) => j.metadata.name !== 'manual'),
      75_000,
    );
    assert.match(scheduled.metadata.name, /^tick-\d{8}$/);
    const at = scheduled.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'];
    assert.equal(Date.parse(at) / 60_000, Number(scheduled.metadata.name.slice('tick-'.length)));
    // Both the manual and the scheduled run finish; the history limit of 1 keeps the newer.
    await until(
      'one successful job left',
      async () => {
        const jobs = (await c.api('GET', `${JOBS}?labelSelector=app=tick`)).body.items.filter((j: any) => !j.metadata.deletionTimestamp);
        return jobs.length === 1 && jobs[0].status?.conditions?.some((cond: any) => cond.type === 'Complete') ? jobs : undefined;
      },
      60_000,
    );
    const tick = (await c.api('GET', '/apis/batch/v1/namespaces/default/cronjobs/tick')).body;
    assert.ok(tick.status.lastScheduleTime);
    assert.ok(tick.status.lastSuccessfulTime);
    const reasons = (await eventsOf('CronJob', 'tick')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(reasons.includes(`SuccessfulCreate: Created job ${scheduled.metadata.name}`), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.startsWith('SawCompletedJob: Saw completed job: tick-') && r.endsWith(', status: Complete')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.startsWith('SuccessfulDelete: Deleted job ')), reasons.join('\n'));
    await c.api('PATCH', '/apis/batch/v1/namespaces/default/cronjobs/tick', { spec: { suspend: true } }, { 'Content-Type': 'application/merge-patch+json' });
  });
});

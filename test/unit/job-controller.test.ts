// The job, TTL-after-finished and cronjob controllers against the real registry (in-process, no
// daemon): what they write, not how.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByKind, storageKey } from '../../src/api/resources.js';
import type { KubeObject } from '../../src/api/types.js';
import { Informer } from '../../src/api/informer.js';
import { JobController } from '../../src/apiserver/controllers/job/job-controller.js';
import { TtlAfterFinishedController } from '../../src/apiserver/controllers/ttl-after-finished/ttl-after-finished-controller.js';
import { CronJobController } from '../../src/apiserver/controllers/cronjob/cronjob-controller.js';
import { inProcessRegistry } from '../helpers/in-process-registry.js';
import { until } from '../helpers/until.js';

const JOBS = findByKind('Job')!;
const PODS = findByKind('Pod')!;
const EVENTS = findByKind('Event')!;
const CRONJOBS = findByKind('CronJob')!;

const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } };

function setup() {
  const reg = inProcessRegistry();
  const informers = [JOBS, PODS, CRONJOBS].map((r) => new Informer(reg.client, r));
  const [jobs, pods, cronJobs] = informers;
  const controllers = [
    new JobController(reg.client, jobs, pods, () => {}),
    new TtlAfterFinishedController(reg.client, jobs, () => {}),
    new CronJobController(reg.client, cronJobs, jobs, () => {}),
  ];
  for (const inf of informers) inf.start();
  const listed = (r: typeof PODS, labelSelector?: string): KubeObject[] => {
    const l = reg.registry.list(r, 'default', { labelSelector });
    return l.objects ?? l.rows.map((row: { value: string }) => JSON.parse(row.value));
  };
  const podsOf = (job: string) => listed(PODS, `job-name=${job}`);
  const finishPod = (pod: KubeObject, phase: string) => reg.registry.update(PODS, 'default', pod.metadata.name!, { ...pod, status: { phase } }, { subresource: 'status' });
  const events = () => listed(EVENTS).map((e: any) => `${e.reason}: ${e.message}`);
  return {
    ...reg,
    podsOf,
    finishPod,
    events,
    stop() {
      for (const c of controllers) c.queue.stop();
      for (const inf of informers) inf.stop();
      reg.done();
    },
  };
}

test('a job gets its pod, counts its success and completes; the TTL controller then deletes it', async () => {
  const t = setup();
  try {
    t.registry.create(JOBS, 'default', { metadata: { name: 'py' }, spec: { ttlSecondsAfterFinished: 0, template } });
    const [pod] = await until('the pod', () => (t.podsOf('py').length ? t.podsOf('py') : undefined));
    assert.match(pod.metadata.name!, /^py-[a-z0-9]{5}$/);
    assert.equal(pod.metadata.ownerReferences![0].kind, 'Job');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(t.podsOf('py').length, 1, 'no second pod while the first runs');
    t.finishPod(pod, 'Succeeded');
    // Complete, then deleted at once (TTL 0).
    await until('the job to be deleted', () => (t.registry.tryGet(JOBS, 'default', 'py') ? undefined : true));
    const recorded = (e: string) => () => (t.events().includes(e) ? true : undefined);
    await until('SuccessfulCreate', recorded(`SuccessfulCreate: Created pod: ${pod.metadata.name}`));
    await until('Completed', recorded('Completed: Job completed'));
  } finally {
    t.stop();
  }
});

test('a deleted finished pod is not forgotten: completions are counted once each', async () => {
  const t = setup();
  try {
    t.registry.create(JOBS, 'default', { metadata: { name: 'two' }, spec: { completions: 2, parallelism: 1, template } });
    const [first] = await until('the first pod', () => (t.podsOf('two').length ? t.podsOf('two') : undefined));
    t.finishPod(first, 'Succeeded');
    await until('one success', () => (t.registry.tryGet(JOBS, 'default', 'two')!.status?.succeeded === 1 ? true : undefined));
    t.registry.delete(PODS, 'default', first.metadata.name!);
    const second = await until('the second pod', () => t.podsOf('two').find((p) => p.metadata.name !== first.metadata.name));
    t.finishPod(second, 'Succeeded');
    const job = await until('completion', () => {
      const j = t.registry.tryGet(JOBS, 'default', 'two')!;
      return j.status?.conditions?.some((c: any) => c.type === 'Complete') ? j : undefined;
    });
    assert.equal(job.status.succeeded, 2);
    assert.equal(t.podsOf('two').length, 1);
  } finally {
    t.stop();
  }
});

test('a cronjob whose run is due creates its job and lists it as active', async () => {
  const t = setup();
  try {
    // Created two minutes ago: the run of the last minute is due now.
    t.registry.create(CRONJOBS, 'default', { metadata: { name: 'cj' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } });
    const stored = t.registry.tryGet(CRONJOBS, 'default', 'cj')!;
    const past = new Date(Date.now() - 120_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    t.store.update(storageKey(CRONJOBS, 'default', 'cj'), { ...stored, metadata: { ...stored.metadata, creationTimestamp: past } });
    const cj = await until('an active job', () => {
      const c = t.registry.tryGet(CRONJOBS, 'default', 'cj')!;
      return c.status?.active?.length ? c : undefined;
    });
    const name = cj.status.active[0].name;
    assert.equal(name, `cj-${Math.floor(Date.parse(cj.status.lastScheduleTime) / 60_000)}`);
    assert.ok(t.registry.tryGet(JOBS, 'default', name));
    await until('SuccessfulCreate', () => (t.events().includes(`SuccessfulCreate: Created job ${name}`) ? true : undefined));
  } finally {
    t.stop();
  }
});

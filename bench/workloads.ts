// Workload figures (issue 13), each beside a Deployment doing the same in the same run.
// 1. On one real node: a StatefulSet of 3 with a local-path volumeClaimTemplate, create to all 3
//    Ready (OrderedReady: each claim provisioned, bound and mounted, one pod after the other), beside
//    a Deployment of 3 without volumes; the two take turns going first.
// 2. On 3 real nodes and on 3 hollow nodes in the same cluster: a DaemonSet created to all 3 pods
//    available, then rolled out (a template change until every pod is updated and available) with
//    maxUnavailable 1 and with maxSurge 1, beside a Deployment of 3 pinned to the same nodes doing
//    the same with the same maxUnavailable/maxSurge. The hollow nodes run no containers: their
//    figures are the control plane's share.
// The issue names no targets; the targets here say the workload costs at most a fixed multiple of
// its Deployment baseline. Times are seen through the API, polled every 100 ms.
// Run: npm run bench -- workloads (ROUNDS=n, default 3).
import type { ChildProcess } from 'node:child_process';
import { DockerClient } from '../src/nodeagent/docker/docker-client.js';
import { prepareOfflineImages } from '../src/nodeagent/docker/offline-images.js';
import { TestCluster } from '../test/helpers/test-cluster.js';
import { until } from '../test/helpers/until.js';
import { line, median } from './lib/report.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const NS = '/api/v1/namespaces/default';
const APPS = '/apis/apps/v1/namespaces/default';
const POLL_MS = 100;
/** OrderedReady starts the 3 pods one after the other where the Deployment starts them at once. */
const STATEFULSET_TARGET = 3;
/** A DaemonSet does what a Deployment of 3 does, one pod per node. */
const DAEMONSET_TARGET = 1.5;

type Strategy = { name: string; rollingUpdate: { maxUnavailable: number; maxSurge: number } };
const STRATEGIES: Strategy[] = [
  { name: 'maxUnavailable 1', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
  { name: 'maxSurge 1', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
];

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

const seconds = (xs: number[]) => `${median(xs).toFixed(2)} s (${xs.map((x) => x.toFixed(2)).join(', ')})`;

/** A figure against its Deployment baseline: the figure's line, then the baseline's. */
function report(name: string, figure: number[], target: number, baselineName: string, baseline: number[]): void {
  const ratio = median(figure) / median(baseline);
  line(name, `${seconds(figure)} ${ratio.toFixed(2)}x`, `<= ${target}x baseline`, ratio <= target);
  line(`  baseline: ${baselineName}`, seconds(baseline), 'same run', true);
}

/** Waits as long as a rollout on real nodes may take, checking at the figures' resolution. */
const waitUntil = (what: string, check: () => Promise<boolean>) => until(what, check, 180_000, POLL_MS);

async function timed(what: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await what();
  return (performance.now() - start) / 1000;
}

async function get(c: TestCluster, path: string): Promise<any> {
  const r = await c.api('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.text}`);
  return r.body;
}

const ready = (p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True');

async function podsOf(c: TestCluster, app: string): Promise<any[]> {
  return (await get(c, `${NS}/pods?labelSelector=app%3D${app}`)).items;
}

/** A busybox pod template labelled app=`app`, pinned to `nodes` when given. */
function template(app: string, opts: { nodes?: string[]; volume?: string } = {}): object {
  return {
    metadata: { labels: { app } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'], ...(opts.volume ? { volumeMounts: [{ name: opts.volume, mountPath: '/data' }] } : {}) }],
      ...(opts.nodes
        ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: opts.nodes }] }] } } } }
        : {}),
    },
  };
}

/** Seconds from the POST until `count` pods of `app` are Ready. */
async function createToReady(c: TestCluster, path: string, body: any, count: number): Promise<number> {
  const app = body.metadata.name;
  return timed(async () => {
    await c.create(path, body);
    await waitUntil(`${count} ${app} pods ready`, async () => (await podsOf(c, app)).filter(ready).length === count);
  });
}

async function deleteAll(c: TestCluster, path: string, app: string): Promise<void> {
  const r = await c.api('DELETE', path);
  if (r.status !== 200 && r.status !== 202) throw new Error(`DELETE ${path}: ${r.status} ${r.text}`);
  await waitUntil(`${app} pods gone`, async () => (await podsOf(c, app)).length === 0);
}

async function statefulSetFigures(): Promise<void> {
  const c = new TestCluster();
  try {
    await c.up(['--nodes', '1']);
    await c.create(`${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'plain' }, spec: { replicas: 3, selector: { matchLabels: { app: 'plain' } }, template: template('plain') } };
    const statefulSet = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        template: template('web', { volume: 'data' }),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        // Each round provisions new claims: the set's deletion takes its claims (and their volumes) along.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      },
    };
    const plain: number[] = [];
    const sts: number[] = [];
    const runDeployment = async () => plain.push(await createToReady(c, `${APPS}/deployments`, deployment, 3));
    const runStatefulSet = async () => sts.push(await createToReady(c, `${APPS}/statefulsets`, statefulSet, 3));
    for (let round = 0; round < ROUNDS; round++) {
      // Taking turns, so neither is favoured by going first.
      for (const run of round % 2 ? [runStatefulSet, runDeployment] : [runDeployment, runStatefulSet]) await run();
      log(`round ${round + 1}: deployment ${plain[round].toFixed(2)} s, statefulset ${sts[round].toFixed(2)} s`);
      await deleteAll(c, `${APPS}/deployments/plain`, 'plain');
      await deleteAll(c, `${APPS}/statefulsets/web`, 'web');
      await waitUntil('claims and volumes deleted', async () => (await get(c, `${NS}/persistentvolumeclaims`)).items.length === 0 && (await get(c, '/api/v1/persistentvolumes')).items.length === 0);
    }
    report('StatefulSet of 3 with PVCs: create to all Ready', sts, STATEFULSET_TARGET, 'Deployment of 3, no volumes', plain);
  } finally {
    await c.down();
  }
}

function daemonSet(name: string, nodes: string[], strategy: Strategy): object {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: strategy.rollingUpdate }, template: template(name, { nodes }) } };
}

function deployment(name: string, nodes: string[], strategy: Strategy): object {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 3, selector: { matchLabels: { app: name } }, strategy: { type: 'RollingUpdate', rollingUpdate: strategy.rollingUpdate }, template: template(name, { nodes }) } };
}

/** Whether the workload's status says all 3 pods run the current template and are available, none old left. */
function rolledOut(kind: 'daemonsets' | 'deployments', o: any, generation: number): boolean {
  const s = o.status ?? {};
  if (!(s.observedGeneration >= generation) || s.unavailableReplicas || s.numberUnavailable) return false;
  if (kind === 'deployments') return s.replicas === 3 && s.updatedReplicas === 3 && s.availableReplicas === 3;
  return s.desiredNumberScheduled === 3 && s.currentNumberScheduled === 3 && s.updatedNumberScheduled === 3 && s.numberAvailable === 3;
}

/** Seconds from a template change until every pod is updated and available. */
async function rollout(c: TestCluster, kind: 'daemonsets' | 'deployments', name: string, version: number): Promise<number> {
  return timed(async () => {
    const r = await c.api('PATCH', `${APPS}/${kind}/${name}`, { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'VERSION', value: String(version) }] }] } } } }, {
      'Content-Type': 'application/strategic-merge-patch+json',
    });
    if (r.status !== 200) throw new Error(`PATCH ${kind}/${name}: ${r.status} ${r.text}`);
    const generation = r.body.metadata.generation;
    await waitUntil(`${name} rolled out`, async () => rolledOut(kind, await get(c, `${APPS}/${kind}/${name}`), generation));
  });
}

/** Create to all available, then ROUNDS rollouts, for one workload; deleted after. */
async function measure(c: TestCluster, kind: 'daemonsets' | 'deployments', body: any): Promise<{ create: number; rollouts: number[] }> {
  const name = body.metadata.name;
  const create = await timed(async () => {
    await c.create(`${APPS}/${kind}`, body);
    await waitUntil(`${name} available`, async () => rolledOut(kind, await get(c, `${APPS}/${kind}/${name}`), 1));
  });
  const rollouts: number[] = [];
  for (let round = 0; round < ROUNDS; round++) rollouts.push(await rollout(c, kind, name, round + 2));
  log(`${name}: create ${create.toFixed(2)} s, rollouts ${rollouts.map((t) => t.toFixed(2)).join(', ')} s`);
  await deleteAll(c, `${APPS}/${kind}/${name}`, name);
  return { create, rollouts };
}

async function daemonSetFigures(): Promise<void> {
  const c = new TestCluster();
  let fleet: ChildProcess | undefined;
  try {
    await c.up(['--nodes', '3']);
    const real: string[] = (await get(c, '/api/v1/nodes')).items.map((n: any) => n.metadata.name);
    fleet = await c.startHollowNodes('hollow', 3);
    let hollow: string[] = [];
    await waitUntil('3 hollow nodes ready', async () => {
      hollow = (await get(c, '/api/v1/nodes')).items
        .filter((n: any) => !real.includes(n.metadata.name) && n.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'))
        .map((n: any) => n.metadata.name);
      return hollow.length === 3;
    });
    for (const [where, nodes] of [['real', real], ['hollow', hollow]] as const) {
      const creates = { ds: [] as number[], deploy: [] as number[] };
      for (const strategy of STRATEGIES) {
        const tag = `${where}-${strategy.rollingUpdate.maxSurge ? 'surge' : 'unavail'}`;
        // Taking turns, so neither is favoured by going first.
        const first = strategy.rollingUpdate.maxSurge ? 'deploy' : 'ds';
        const results: Record<string, { create: number; rollouts: number[] }> = {};
        for (const which of first === 'ds' ? ['ds', 'deploy'] : ['deploy', 'ds']) {
          results[which] = which === 'ds' ? await measure(c, 'daemonsets', daemonSet(`ds-${tag}`, nodes, strategy)) : await measure(c, 'deployments', deployment(`deploy-${tag}`, nodes, strategy));
        }
        creates.ds.push(results.ds.create);
        creates.deploy.push(results.deploy.create);
        report(`DaemonSet, 3 ${where} nodes: update, ${strategy.name}`, results.ds.rollouts, DAEMONSET_TARGET, `Deployment of 3, ${strategy.name}`, results.deploy.rollouts);
      }
      report(`DaemonSet, 3 ${where} nodes: create to all available`, creates.ds, DAEMONSET_TARGET, 'Deployment of 3, same nodes', creates.deploy);
    }
  } finally {
    fleet?.kill('SIGKILL');
    await c.down();
  }
}

async function main(): Promise<void> {
  const docker = new DockerClient();
  try {
    await prepareOfflineImages(docker);
  } finally {
    await docker.close();
  }
  await statefulSetFigures();
  await daemonSetFigures();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});

// Deployment throughput (issue 4): a 1,000-replica Deployment all available in <= 10 s, and a
// rolling update of 100 replicas done in <= 10 s without ever having more than maxUnavailable
// pods unavailable. The Deployment and ReplicaSet controllers and the scheduler run as in the
// daemon (shared informers, in-process client, real SQLite store, every write real); the node side
// is the hollow nodes' pod runner (src/nodeagent/hollow/hollow-pods.ts), which reports every pod
// bound to one of its 50 Node objects Running and Ready at once and lets deleted pods go at once.
// Availability is checked on every pod event the informer delivers (ready pods not being deleted).
// Run: npm run bench -- deployments
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findByKind } from '../src/api/resources.js';
import type { KubeObject } from '../src/api/types.js';
import { Informer } from '../src/api/informer.js';
import { DeploymentController } from '../src/apiserver/controllers/deployment/deployment-controller.js';
import { isPodReady } from '../src/apiserver/controllers/replicaset/active-pods.js';
import { REPLICA_SET } from '../src/apiserver/controllers/replicaset/replicated-kind.js';
import { ReplicaSetController } from '../src/apiserver/controllers/replicaset/replicaset-controller.js';
import { InProcessClient } from '../src/apiserver/registry/in-process-client.js';
import { Registry } from '../src/apiserver/registry/registry.js';
import { Scheduler } from '../src/apiserver/scheduler/scheduler.js';
import { SqliteStore } from '../src/apiserver/storage/sqlite-store.js';
import { HollowPods } from '../src/nodeagent/hollow/hollow-pods.js';
import { line, median } from './lib/report.js';
import { deployment } from '../test/helpers/builders.js';

const NODES = 50;
const BIG = 1000;
const ROLLING = 100;
const RUNS = Number(process.env.RUNS ?? 3);
const NS = findByKind('Namespace')!;
const NODE = findByKind('Node')!;
const POD = findByKind('Pod')!;
const DEPLOY = findByKind('Deployment')!;

// A change to the env is what makes a rollout.
const ENV_V1 = { env: [{ name: 'V', value: '1' }] };

/** A cluster in a temporary store: the controllers, the scheduler and the hollow pod runner. */
async function cluster() {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-bench-deploy-'));
  const store = new SqliteStore(join(dir, 'kctl.db'));
  const registry = new Registry(store);
  registry.create(NS, undefined, { metadata: { name: 'default' } });
  const names = Array.from({ length: NODES }, (_, i) => `hollow-${i}`);
  for (const name of names) {
    registry.create(NODE, undefined, {
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      status: {
        capacity: { cpu: '8', memory: '32Gi', pods: '110' },
        allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow' }],
      },
    });
  }
  const client = new InProcessClient(registry);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const informers = { deployments: new Informer(client, DEPLOY, log), replicaSets: new Informer(client, REPLICA_SET.resource, log), pods: new Informer(client, POD, log), nodes: new Informer(client, NODE, log) };
  const rsController = new ReplicaSetController(client, REPLICA_SET, informers.replicaSets, informers.pods, log);
  const deployController = new DeploymentController(client, informers.deployments, informers.replicaSets, informers.pods, log);
  const scheduler = new Scheduler(client, informers.pods, informers.nodes, log);
  const hollow = new HollowPods(new Set(names), log, () => client);
  for (const inf of Object.values(informers)) inf.start();
  await Promise.all(Object.values(informers).map((inf) => inf.hasSynced()));
  scheduler.start();
  hollow.start();
  return {
    registry,
    informers,
    /** Resolves when the Deployment's status says every replica is updated and available. */
    complete(name: string): Promise<void> {
      return new Promise((resolve) => {
        const check = (d: KubeObject) => {
          const s = d.status ?? {};
          if (d.metadata.name === name && s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas && s.replicas === d.spec.replicas && s.availableReplicas === d.spec.replicas) resolve();
        };
        informers.deployments.addHandlers({ add: check, update: (_o, d) => check(d) });
      });
    },
    async stop() {
      rsController.queue.stop();
      deployController.queue.stop();
      await scheduler.stop();
      await hollow.stop();
      for (const inf of Object.values(informers)) inf.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function bigDeployment(): Promise<number> {
  const c = await cluster();
  try {
    const done = c.complete('big');
    const t0 = performance.now();
    c.registry.create(DEPLOY, 'default', deployment('big', { replicas: BIG, container: ENV_V1 }));
    await done;
    return (performance.now() - t0) / 1000;
  } finally {
    await c.stop();
  }
}

async function rollingUpdate(): Promise<{ seconds: number; minAvailable: number; maxPods: number }> {
  const c = await cluster();
  try {
    const ready = c.complete('roll');
    c.registry.create(DEPLOY, 'default', deployment('roll', { replicas: ROLLING, container: ENV_V1 }));
    await ready;
    let minAvailable = Infinity;
    let maxPods = 0;
    const observe = () => {
      const pods = c.informers.pods.list('default').filter((p) => !p.metadata.deletionTimestamp);
      minAvailable = Math.min(minAvailable, pods.filter(isPodReady).length);
      maxPods = Math.max(maxPods, pods.length);
    };
    c.informers.pods.addHandlers({ update: (_o, p) => observe(), delete: observe });
    const t0 = performance.now();
    c.registry.patch(DEPLOY, 'default', 'roll', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'V', value: '2' }] }] } } } });
    // The status of the first rollout is complete too: wait for the one of the new generation.
    await new Promise<void>((resolve) => {
      const poll = () => {
        const d = c.informers.deployments.get('default/roll')!;
        if (d.metadata.generation === 2 && d.status?.observedGeneration === 2 && d.status.updatedReplicas === ROLLING && d.status.replicas === ROLLING && d.status.availableReplicas === ROLLING) resolve();
        else setTimeout(poll, 5);
      };
      poll();
    });
    return { seconds: (performance.now() - t0) / 1000, minAvailable, maxPods };
  } finally {
    await c.stop();
  }
}

const bigTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const s = await bigDeployment();
  bigTimes.push(s);
  process.stdout.write(`run ${i + 1}: ${BIG} replicas available in ${s.toFixed(2)} s\n`);
}
const rolls: Array<{ seconds: number; minAvailable: number; maxPods: number }> = [];
for (let i = 0; i < RUNS; i++) {
  const r = await rollingUpdate();
  rolls.push(r);
  process.stdout.write(`run ${i + 1}: rolling update of ${ROLLING} in ${r.seconds.toFixed(2)} s, fewest available ${r.minAvailable}, most pods ${r.maxPods}\n`);
}
const big = median(bigTimes);
line(`deployments: ${BIG} replicas all available (median of ${RUNS})`, `${big.toFixed(2)} s`, '<= 10 s', big <= 10);
const roll = median(rolls.map((r) => r.seconds));
line(`deployments: rolling update of ${ROLLING} (median of ${RUNS})`, `${roll.toFixed(2)} s`, '<= 10 s', roll <= 10);
const fewest = Math.min(...rolls.map((r) => r.minAvailable));
const most = Math.max(...rolls.map((r) => r.maxPods));
// 25% of 100: at most 25 unavailable, at most 25 above the desired count.
line('deployments: fewest available during the update', `${fewest} (most pods at once ${most})`, '>= 75 (<= 125 pods)', fewest >= 75 && most <= 125);

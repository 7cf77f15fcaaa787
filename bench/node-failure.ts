// Node failure (issue "Node lifecycle"): two real node agents, a 5 s node monitor grace period, a
// ReplicaSet of 6 busybox pods tolerating unreachable for 0 s. One agent is killed with SIGKILL;
// timed from the kill (through watches): its Node marked Unknown, its pods evicted, and all 6
// replicas Running again on the surviving node. Target: everything running elsewhere within
// grace + 5 s. The grace period itself is the floor (baseline) of every figure.
// Needs the ReplicaSet controller; without it only the eviction of 6 bare pods is measured.
// Run: npm run bench -- node-failure
import { TestCluster } from '../test/helpers/test-cluster.js';
import { until } from '../test/helpers/until.js';
import { HttpClient } from '../src/api/http-client.js';
import { findByKind } from '../src/api/resources.js';
import type { KubeObject, WatchEvent } from '../src/api/types.js';
import { DockerClient } from '../src/nodeagent/docker/docker-client.js';
import { prepareOfflineImages } from '../src/nodeagent/docker/offline-images.js';
import { BUSYBOX_IMAGE } from '../src/api/images.js';
import { line, median } from './lib/report.js';

const GRACE_SECONDS = 5;
const REPLICAS = 6;
const RUNS = Number(process.env.RUNS ?? 3);
const [PODS, NODES, REPLICASETS] = ['Pod', 'Node', 'ReplicaSet'].map((k) => findByKind(k)!);
const UNREACHABLE = 'node.kubernetes.io/unreachable';

const podSpec = {
  terminationGracePeriodSeconds: 1,
  tolerations: [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }],
  containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }],
};

interface Run {
  unknownMs: number;
  evictedMs: number;
  /** Undefined without a ReplicaSet controller. */
  replacedMs?: number;
}

/** Calls `check` with each event until it answers true after `t0()`; resolves with the time since then (ms). */
function watchUntil(client: HttpClient, r: typeof PODS, namespace: string | undefined, selector: string | undefined, check: (e: WatchEvent) => boolean): { at: Promise<number>; t0: () => void } {
  let start = 0;
  let resolve!: (ms: number) => void;
  const at = new Promise<number>((r) => (resolve = r));
  const handle = client.watch(r, namespace, { labelSelector: selector }, (e) => {
    // Every event reaches `check` (it keeps its state); only one after the kill ends the wait.
    if (check(e) && start) {
      handle.stop();
      resolve(performance.now() - start);
    }
  });
  return { at, t0: () => (start = performance.now()) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the probe came true in time, checked every 200 ms. */
const cameTrue = (probe: () => Promise<boolean>, timeoutMs: number) => until('the probe', probe, timeoutMs, 200).then(() => true, () => false);

/** One kill; `tryController` false skips waiting for ReplicaSet pods an earlier run found missing. */
async function oneRun(c: TestCluster, client: HttpClient, i: number, tryController: boolean): Promise<Run> {
  const app = `bench-web-${i}`;
  const selector = `app=${app}`;
  await client.create(REPLICASETS, 'default', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: app },
    spec: { replicas: REPLICAS, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: podSpec } },
  } as KubeObject);
  const list = async () => (await client.list(PODS, 'default', { labelSelector: selector })).items;
  const controlled = tryController && await cameTrue(async () => (await list()).filter((p) => p.status?.phase === 'Running').length === REPLICAS, 30_000);
  let onVictim: string[];
  if (controlled) onVictim = (await list()).filter((p) => p.spec?.nodeName === 'node-2').map((p) => p.metadata.name!);
  else {
    await client.delete(REPLICASETS, 'default', app);
    onVictim = [];
    for (let n = 0; n < REPLICAS; n++) {
      const name = `${app}-bare-${n}`;
      await client.create(PODS, 'default', { metadata: { name, labels: { app } }, spec: { ...podSpec, nodeName: 'node-2' } } as KubeObject);
      onVictim.push(name);
    }
    await cameTrue(async () => (await list()).filter((p) => p.status?.phase === 'Running').length === REPLICAS, 30_000);
  }

  const evicted = new Set<string>();
  const live = new Map<string, KubeObject>();
  for (const p of await list()) live.set(p.metadata.name!, p);
  const unknown = watchUntil(client, NODES, undefined, undefined, (e) => e.object.metadata.name === 'node-2' && (e.object.spec?.taints ?? []).some((t: { key: string }) => t.key === UNREACHABLE));
  const evictions = watchUntil(client, PODS, 'default', selector, (e) => {
    if (e.object.metadata.deletionTimestamp && onVictim.includes(e.object.metadata.name!)) evicted.add(e.object.metadata.name!);
    return evicted.size === onVictim.length;
  });
  const replaced = watchUntil(client, PODS, 'default', selector, (e) => {
    if (e.type === 'DELETED') live.delete(e.object.metadata.name!);
    else live.set(e.object.metadata.name!, e.object);
    const running = [...live.values()].filter((p) => !p.metadata.deletionTimestamp && p.spec?.nodeName === 'node-1' && p.status?.phase === 'Running');
    return running.length === REPLICAS;
  });
  await sleep(200); // the watches are open
  for (const w of [unknown, evictions, replaced]) w.t0();
  process.kill(c.agentPid('node-2'), 'SIGKILL');
  const [unknownMs, evictedMs] = await Promise.all([unknown.at, evictions.at]);
  const replacedMs = controlled ? await replaced.at : undefined;

  // Back to two healthy nodes for the next run.
  await c.kctl(['cluster', 'up']);
  if (controlled) await client.delete(REPLICASETS, 'default', app);
  await client.deleteCollection(PODS, 'default', { labelSelector: selector, gracePeriodSeconds: 0 });
  await cameTrue(async () => {
    const n = await client.get(NODES, undefined, 'node-2');
    return (n.status?.conditions ?? []).some((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True') && !(n.spec?.taints ?? []).length;
  }, 30_000);
  await cameTrue(async () => (await list()).length === 0, 30_000);
  return { unknownMs, evictedMs, replacedMs };
}

async function main(): Promise<void> {
  const docker = new DockerClient();
  await prepareOfflineImages(docker);
  await docker.close();
  const c = new TestCluster();
  try {
    await c.up(['--nodes', '2', '--node-monitor-grace-period-seconds', String(GRACE_SECONDS)]);
    const client = new HttpClient({ server: c.server, token: c.token(), ca: c.ca });
    const runs: Run[] = [];
    let controller = true;
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(c, client, i, controller);
      controller = r.replacedMs !== undefined;
      runs.push(r);
    }
    client.close();
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const grace = GRACE_SECONDS * 1000;
    const unknown = median(runs.map((r) => r.unknownMs));
    const evicted = median(runs.map((r) => r.evictedMs));
    line('killed node marked Unknown + unreachable taints, median', `${s(unknown)} (grace ${GRACE_SECONDS} s, renewals every ${GRACE_SECONDS / 4} s)`, `<= grace + ${GRACE_SECONDS / 4 + 1} s`, unknown <= grace + (GRACE_SECONDS / 4 + 1) * 1000);
    line('  its pods evicted (tolerationSeconds 0), median', `${s(evicted)} (${s(Math.max(0, evicted - unknown))} after the taint)`, '<= 1 s after the taint', evicted - unknown <= 1000);
    if (controller) {
      const replaced = median(runs.map((r) => r.replacedMs!));
      line(`Node killed: all ${REPLICAS} replicas Running elsewhere, median`, `${s(replaced)} over ${runs.length} runs (grace ${GRACE_SECONDS} s)`, `<= grace + 5 s = ${GRACE_SECONDS + 5} s`, replaced <= grace + 5000);
    } else {
      line(`Node killed: all ${REPLICAS} replicas Running elsewhere`, 'not measured: no ReplicaSet controller in this build', `<= grace + 5 s = ${GRACE_SECONDS + 5} s`, false);
    }
  } finally {
    await c.down();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});

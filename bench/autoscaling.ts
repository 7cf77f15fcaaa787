// Autoscaling figures (issue 14). This part: what resource metrics cost. One real node agent with
// 30 idle busybox pods, measured twice: a cluster whose collector never fires (--metric-resolution
// 1h: the baseline) and one collecting every second (15 times the default rate, so each figure is
// made of many scrapes); the agent's and the API server's CPU over the same window (from
// /proc/PID/stat), and the agent's CPU per direct scrape of its /metrics (the same sampling).
// Target: at the default 15 s, collection costs the agent under 1% of a core with 30 pods.
// Second part: how fast a HorizontalPodAutoscaler reacts (collection every 1 s, HPA sync every 2 s):
// a Deployment burning CPU (50m requested) from its first pod Running to the scale-up decision,
// beside the baseline of its first figures in metrics.k8s.io (no decision can come sooner); to the
// new pods Ready, beside the baseline of one pod started by hand in the same run; and the scale
// back down after the load stops with a 5 s scale-down window.
// Third part: the cluster autoscaler at scale on hollow nodes (no containers): 1,000 pods (600 of
// 250m, 400 of 500m) pending on a node group 1:200 of 8-cpu hollow nodes; time from the
// Deployments' creation until every pod is scheduled, and the nodes added beside the fewest that
// hold the pods (computed here: the resource lower bound); the baseline is the same pods scheduled
// onto that many hollow nodes plus 10% (the scheduler spreads), started beforehand, same run.
// Run: npm run bench -- autoscaling (PART=cost, PART=hpa or PART=nodes for one part)
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { REPO, TestCluster } from '../test/helpers/test-cluster.js';
import { until } from '../test/helpers/until.js';
import { DockerClient } from '../src/nodeagent/docker/docker-client.js';
import { prepareOfflineImages } from '../src/nodeagent/docker/offline-images.js';
import { BUSYBOX_IMAGE } from '../src/api/images.js';
import { line } from './lib/report.js';

const PODS = 30;
const WINDOW_S = Number(process.env.WINDOW_S ?? 30);
const DIRECT_SCRAPES = 100;
const DEFAULT_RESOLUTION_S = 15;
/** USER_HZ: /proc/PID/stat counts CPU time in hundredths of a second. */
const TICK_MS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process's CPU time so far (user + system), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function apiserverPid(c: TestCluster): number {
  return (JSON.parse(readFileSync(join(c.home, 'cluster.json'), 'utf8')) as { apiserverPid: number }).apiserverPid;
}

function get(port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

interface Measured {
  agentPercent: number;
  apiserverPercent: number;
  /** Agent CPU ms per direct /metrics scrape. */
  agentMsPerScrape?: number;
}

async function measure(resolution: string, direct: boolean): Promise<Measured> {
  const c = new TestCluster();
  try {
    await c.up(['--nodes', '1', '--metric-resolution', resolution, '--ingress-port', '0']);
    for (let i = 0; i < PODS; i++) {
      await c.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `idle-${i}` }, spec: { containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] } });
    }
    for (let i = 0; i < PODS; i++) await c.waitForPod(`idle-${i}`, (p) => p.status?.phase === 'Running', 120_000);
    // Let start-up work (probes of new pods, status writes, first scrapes) settle.
    await sleep(10_000);
    const agent = c.agentPid('node-1');
    const server = apiserverPid(c);
    const [a0, s0, t0] = [cpuMs(agent), cpuMs(server), performance.now()];
    await sleep(WINDOW_S * 1000);
    const [a1, s1, t1] = [cpuMs(agent), cpuMs(server), performance.now()];
    const out: Measured = { agentPercent: ((a1 - a0) / (t1 - t0)) * 100, apiserverPercent: ((s1 - s0) / (t1 - t0)) * 100 };
    if (direct) {
      const node = (await c.api('GET', '/api/v1/nodes/node-1')).body;
      const port = node.status.daemonEndpoints.kubeletEndpoint.Port;
      const token = c.token();
      const before = cpuMs(agent);
      for (let i = 0; i < DIRECT_SCRAPES; i++) {
        const code = await get(port, '/metrics', token);
        if (code !== 200) throw new Error(`the agent's /metrics answered ${code}`);
      }
      out.agentMsPerScrape = (cpuMs(agent) - before) / DIRECT_SCRAPES;
    }
    return out;
  } finally {
    await c.down();
  }
}

const SYNC_S = 2;
const DOWN_WINDOW_S = 5;

function burner(command: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'burn' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'burn' } },
      template: {
        metadata: { labels: { app: 'burn' } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: BUSYBOX_IMAGE, command: ['sh', '-c', command], resources: { requests: { cpu: '50m' }, limits: { cpu: '200m' } } }] },
      },
    },
  };
}

/** Waits checking every 100 ms unless told, the resolution of the figures timed by what it waits for. */
const waitFor = <T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 120_000, everyMs = 100) => until(what, get, timeoutMs, everyMs);

async function hpaReaction(): Promise<void> {
  const c = new TestCluster();
  const dep = '/apis/apps/v1/namespaces/default/deployments/burn';
  try {
    await c.up(['--nodes', '1', '--metric-resolution', '1s', '--horizontal-pod-autoscaler-sync-period', `${SYNC_S}s`, '--ingress-port', '0']);
    // Baseline: one pod of the same image started by hand, create to Ready.
    const b0 = performance.now();
    await c.createPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'baseline' }, spec: { containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] } });
    await c.waitForPod('baseline', (p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'), 60_000);
    const podReadyMs = performance.now() - b0;
    await c.create('/apis/apps/v1/namespaces/default/deployments', burner('while :; do :; done'));
    const firstPod = await waitFor('the burner runs', async () => (await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dburn')).body.items.find((p: any) => p.status?.phase === 'Running'));
    const running = performance.now();
    await c.create('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'burn' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }], behavior: { scaleDown: { stabilizationWindowSeconds: DOWN_WINDOW_S } } },
    });
    const firstFigures = waitFor('first figures', async () => ((await c.api('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${firstPod.metadata.name}`)).status === 200 ? performance.now() : undefined));
    const decided = waitFor('the scale-up decision', async () => ((await c.api('GET', dep)).body.spec.replicas > 1 ? performance.now() : undefined));
    const [figuresAt, decidedAt] = [await firstFigures, await decided];
    const target = (await c.api('GET', dep)).body.spec.replicas;
    const readyAt = await waitFor('the new pods Ready', async () => ((await c.api('GET', dep)).body.status?.readyReplicas >= target ? performance.now() : undefined));
    await c.api('PATCH', dep, [{ op: 'replace', path: '/spec/template/spec/containers/0/command', value: ['sh', '-c', 'sleep 3600'] }], { 'Content-Type': 'application/json-patch+json' });
    const stopped = performance.now();
    const downAt = await waitFor('the scale down', async () => ((await c.api('GET', dep)).body.spec.replicas === 1 ? performance.now() : undefined), 180_000);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(`HPA reaction: 1 node, collection every 1 s, HPA sync every ${SYNC_S} s, cpu 50% of a 50m request, max 3\n`);
    line('pod Running -> its first figures (baseline)', s(figuresAt - running), '—', true);
    line('pod Running -> scale-up decision', s(decidedAt - running), `< first figures + 2 syncs (${s(figuresAt - running + 2 * SYNC_S * 1000)})`, decidedAt - figuresAt < 2 * SYNC_S * 1000);
    line('one pod created by hand -> Ready (baseline)', s(podReadyMs), '—', true);
    line(`scale-up decision -> ${target} pods Ready`, s(readyAt - decidedAt), `< 2x baseline (${s(2 * podReadyMs)})`, readyAt - decidedAt < 2 * podReadyMs);
    line(`load stopped -> back to 1 (${DOWN_WINDOW_S} s window)`, s(downAt - stopped), `< window + rollout + 3 syncs`, downAt - stopped < (DOWN_WINDOW_S + 3 * SYNC_S) * 1000 + 2 * podReadyMs);
  } finally {
    await c.down();
  }
}

const GROUP_LABEL = 'node.kctl.io/node-group';
const NODE_CPU_M = 8000;
const NODE_MEMORY_MI = 32 * 1024;
const NODE_PODS = 110;
/** The pending pods: replicas, cpu (millicores) and memory (Mi) of each Deployment. */
const PENDING = [
  { name: 'small', replicas: 600, cpuM: 250, memoryMi: 256 },
  { name: 'big', replicas: 400, cpuM: 500, memoryMi: 512 },
];

/** The fewest nodes that can hold the pods: no node offers more than its cpu, memory and pod slots. */
function fewestNodes(): number {
  const total = (f: (d: (typeof PENDING)[number]) => number) => PENDING.reduce((n, d) => n + d.replicas * f(d), 0);
  return Math.max(Math.ceil(total((d) => d.cpuM) / NODE_CPU_M), Math.ceil(total((d) => d.memoryMi) / NODE_MEMORY_MI), Math.ceil(total(() => 1) / NODE_PODS));
}

function pendingDeployment(d: (typeof PENDING)[number]): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { app: d.name } },
      template: { metadata: { labels: { app: d.name } }, spec: { containers: [{ name: 'c', image: BUSYBOX_IMAGE, resources: { requests: { cpu: `${d.cpuM}m`, memory: `${d.memoryMi}Mi` } } }] } },
    },
  };
}

/** Creates the Deployments and waits until all their pods are bound; seconds from the creates. */
async function scheduleAllPending(c: TestCluster, onTick?: () => Promise<void>): Promise<number> {
  const all = PENDING.reduce((n, d) => n + d.replicas, 0);
  const t0 = performance.now();
  for (const d of PENDING) await c.create('/apis/apps/v1/namespaces/default/deployments', pendingDeployment(d));
  await waitFor(`all ${all} pods scheduled`, async () => {
    await onTick?.();
    const pods = (await c.api('GET', '/api/v1/namespaces/default/pods')).body.items as any[];
    const bound = pods.filter((p) => p.spec.nodeName).length;
    return pods.length === all && bound === all ? true : undefined;
    // A list of 1,000 pods is itself load: once a second, in the baseline too.
  }, 15 * 60_000, 1000);
  return (performance.now() - t0) / 1000;
}

async function nodeAutoscaling(): Promise<void> {
  const fewest = fewestNodes();
  const pods = PENDING.reduce((n, d) => n + d.replicas, 0);
  // Baseline: the same pods onto hollow nodes started beforehand (one fleet process): the fewest
  // plus 10%, as the scheduler spreads pods (least allocated first) and leaves 250m gaps a 500m pod cannot use.
  const fixed = Math.ceil(fewest * 1.1);
  const base = new TestCluster();
  let fleet: ChildProcess | undefined;
  let baselineS: number;
  try {
    await base.up(['--ingress-port', '0']);
    const token = await base.kctl(['token', 'create']);
    if (token.code !== 0) throw new Error(`token create failed: ${token.stderr}`);
    const tokenFile = join(base.home, 'hollow-token');
    writeFileSync(tokenFile, token.stdout.trim());
    fleet = spawn(process.execPath, [join(REPO, 'bin/kctl-node'), '--name', 'fixed', '--hollow-nodes', String(fixed), '--cpu', String(NODE_CPU_M / 1000), '--memory', `${NODE_MEMORY_MI}Mi`, '--pods', String(NODE_PODS), '--server', base.server, '--token-file', tokenFile, '--ca-file', join(base.home, 'pki/ca.crt'), '--data-dir', join(base.home, 'fixed')], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor(`${fixed} hollow nodes Ready`, async () => {
      const nodes = (await base.api('GET', '/api/v1/nodes')).body.items as any[];
      return nodes.filter((n) => n.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length >= fixed ? true : undefined;
    });
    baselineS = await scheduleAllPending(base);
  } finally {
    fleet?.kill();
    await base.down();
  }
  const c = new TestCluster();
  try {
    await c.up(['--node-group', `pool=1:200:hollow,cpu=${NODE_CPU_M / 1000},memory=${NODE_MEMORY_MI}Mi,pods=${NODE_PODS}`, '--ingress-port', '0', '--timeout', '120']);
    let firstDecision: number | undefined;
    let lastNodeReady = 0;
    let readyCount = 0;
    const t0 = performance.now();
    const seconds = await scheduleAllPending(c, async () => {
      const nodes = (await c.api('GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(GROUP_LABEL)}`)).body.items as any[];
      const ready = nodes.filter((n) => n.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length;
      if (ready > readyCount) [readyCount, lastNodeReady] = [ready, (performance.now() - t0) / 1000];
      if (firstDecision !== undefined) return;
      const events = (await c.api('GET', '/api/v1/namespaces/default/events?fieldSelector=reason%3DTriggeredScaleUp&limit=1')).body.items as any[];
      if (events.length > 0) firstDecision = (performance.now() - t0) / 1000;
    });
    const nodes = (await c.api('GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(GROUP_LABEL)}`)).body.items.length as number;
    const added = nodes - 1;
    process.stdout.write(`cluster autoscaler: ${pods} pods (${PENDING.map((d) => `${d.replicas} x ${d.cpuM}m`).join(', ')}) pending, node group 1:200 of ${NODE_CPU_M / 1000}-cpu hollow nodes\n`);
    line('same pods onto nodes started before (baseline)', `${baselineS.toFixed(1)} s onto ${fixed} nodes`, '—', true);
    line('pods created -> first scale-up decision', firstDecision === undefined ? 'not seen' : `${firstDecision.toFixed(1)} s`, "<= 30 s (cluster-autoscaler's SLO)", firstDecision !== undefined && firstDecision <= 30);
    line(`pods created -> last of the ${readyCount} group nodes Ready`, `${lastNodeReady.toFixed(1)} s`, '— (node processes starting on 2 shared cores)', true);
    line('pods created -> all scheduled, autoscaled', `${seconds.toFixed(1)} s`, `<= last node Ready + baseline (${(lastNodeReady + baselineS).toFixed(1)} s)`, seconds <= lastNodeReady + baselineS);
    line('nodes added vs the fewest that hold the pods', `${added} added (${nodes} in all) vs ${fewest - 1} (${fewest})`, `<= 10% over (${Math.floor(fewest * 1.1)} in all)`, nodes <= Math.floor(fewest * 1.1));
  } finally {
    await c.down();
  }
}

async function main(): Promise<void> {
  const docker = new DockerClient();
  await prepareOfflineImages(docker);
  await docker.close();
  const part = process.env.PART;
  if (part === undefined || part === 'nodes') await nodeAutoscaling();
  if (part === 'nodes') return;
  if (part !== 'cost') await hpaReaction();
  if (part === 'hpa') return;
  process.stdout.write(`metrics collection cost: 1 node agent, ${PODS} idle pods, ${WINDOW_S} s windows\n`);
  const off = await measure('1h', false);
  const on = await measure('1s', true);
  const agentPerScrapeMs = ((on.agentPercent - off.agentPercent) / 100) * 1000;
  const apiserverPerScrapeMs = ((on.apiserverPercent - off.apiserverPercent) / 100) * 1000;
  const at15s = (Math.max(0, agentPerScrapeMs) / (DEFAULT_RESOLUTION_S * 1000)) * 100;
  const pct = (x: number) => `${x.toFixed(2)}% of a core`;
  line('agent CPU, 30 pods, no collection (baseline)', pct(off.agentPercent), '—', true);
  line('agent CPU, 30 pods, collected every 1 s', pct(on.agentPercent), '—', true);
  line('agent CPU per collection (1 s run minus baseline)', `${agentPerScrapeMs.toFixed(1)} ms`, '—', true);
  line('agent CPU per direct /metrics scrape', `${on.agentMsPerScrape!.toFixed(1)} ms`, '—', true);
  line('agent collection cost at the default 15 s', pct(at15s), '< 1% of a core', at15s < 1);
  line('API server CPU, no collection (baseline)', pct(off.apiserverPercent), '—', true);
  line('API server CPU, collecting every 1 s', pct(on.apiserverPercent), '—', true);
  line('API server CPU per scrape of one node', `${apiserverPerScrapeMs.toFixed(1)} ms`, '—', true);
}

await main();

// Autoscaling figures (issue 14). This part: what resource metrics cost. One real node agent with
// 30 idle busybox pods, measured twice: a cluster whose collector never fires (--metric-resolution
// 1h: the baseline) and one collecting every second (15 times the default rate, so each figure is
// made of many scrapes); the agent's and the API server's CPU over the same window (from
// /proc/PID/stat), and the agent's CPU per direct scrape of its /metrics (the same sampling).
// Target: at the default 15 s, collection costs the agent under 1% of a core with 30 pods.
// (The HPA and cluster autoscaler figures join this file with those features.)
// Run: npm run bench -- autoscaling
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { TestCluster } from '../test/helpers/test-cluster.js';
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

async function main(): Promise<void> {
  const docker = new DockerClient();
  await prepareOfflineImages(docker);
  await docker.close();
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

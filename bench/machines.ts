// Simulated machines (issue "Many machines, one cluster"): each figure beside its target and a
// baseline measured in the same run.
// - `kctl cluster up --machines 3` until all Nodes are Ready (target <= 5 s); baseline: `cluster up
//   --nodes 3`, three agents on this computer's engine.
// - Pod to pod across machines against pod to pod on one machine, in both pod network modes: TCP
//   throughput (one stream for a few seconds, iperf-like, over the pod IPs; targets host-gw >= 90%,
//   vxlan >= 70% of one machine's) and the median round trip of a 1-byte TCP ping-pong.
// - A machine's engine stopped until all replicas run elsewhere (target <= grace period + 5 s);
//   baseline: an agent killed (the lease runs out), in the same cluster.
// - Memory per simulated machine (its engine with containerd and the agent); baseline: one agent
//   of `--nodes 3` (which shares this computer's engine).
// - `cluster down` of the 3 machines; baseline: `cluster down` of `--nodes 3`.
// Client and server run in the pods' network namespaces (nsenter -n), with this computer's node.
// Run: npm run bench -- machines
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { TestCluster } from '../test/helpers/test-cluster.js';
import { LAN_GATEWAY, RUN_DIR } from '../src/cli/cluster/machines/lan.js';
import { DockerClient } from '../src/nodeagent/docker/docker-client.js';
import { BUSYBOX_IMAGE } from '../src/api/images.js';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL, SANDBOX_CONTAINER_NAME } from '../src/nodeagent/pods/containers.js';
import { line, median } from './lib/report.js';
import { until } from '../test/helpers/until.js';

const exec = promisify(execFile);
const GRACE_SECONDS = 5;
const STREAM_SECONDS = Number(process.env.STREAM_SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 2);

async function timedUp(c: TestCluster, args: string[]): Promise<number> {
  const t0 = performance.now();
  await c.up(args);
  return performance.now() - t0;
}

/** The pid holding a pod's network namespace (its sandbox's), from the engine that runs it. */
async function sandboxPid(c: TestCluster, pod: string, socketPath?: string): Promise<number> {
  const { body } = await c.api('GET', `/api/v1/namespaces/default/pods/${pod}`);
  const docker = new DockerClient(socketPath ? { socketPath } : {});
  try {
    const [sandbox] = await docker.listContainers({ filters: { label: [`${POD_UID_LABEL}=${body.metadata.uid}`, `${CONTAINER_NAME_LABEL}=${SANDBOX_CONTAINER_NAME}`] } });
    return (await docker.inspectContainer(sandbox.Id)).State.Pid;
  } finally {
    await docker.close();
  }
}

function pod(name: string, node: string): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] } };
}

// The server: discards what a stream sends, echoes each byte of a ping-pong.
const SERVER = `
const net = require('node:net');
net.createServer((s) => { s.setNoDelay(true); s.once('data', (d) => { if (d[0] === 0x50) { s.write(d.subarray(0, 1)); s.on('data', (x) => s.write(x)); } else s.resume(); }); }).listen(5201, process.argv[1], () => console.log('listening'));
`;
// The client: 'stream SECONDS' prints bytes/s; 'ping COUNT' prints the round trips (ms).
const CLIENT = `
const net = require('node:net');
const [host, mode, n] = process.argv.slice(1);
const s = net.connect(5201, host, () => {
  s.setNoDelay(true);
  if (mode === 'stream') {
    const buf = Buffer.alloc(256 * 1024, 1); buf[0] = 0x53;
    const t0 = performance.now(); let sent = 0; const end = t0 + Number(n) * 1000;
    const pump = () => { while (performance.now() < end) { sent += buf.length; if (!s.write(buf)) return s.once('drain', pump); } s.end(() => { console.log(JSON.stringify(sent / ((performance.now() - t0) / 1000))); }); };
    pump();
  } else {
    const out = []; let t0 = 0; let i = 0;
    s.on('data', () => { out.push(performance.now() - t0); if (++i === Number(n)) { console.log(JSON.stringify(out)); s.destroy(); } else { t0 = performance.now(); s.write('P'); } });
    t0 = performance.now(); s.write('P');
  }
});
`;

function inNetns(pid: number, script: string, args: string[]): string[] {
  return ['nsenter', '-t', String(pid), '-n', process.execPath, '-e', script, ...args];
}

async function startServer(pid: number, ip: string): Promise<ChildProcess> {
  const [cmd, ...args] = inNetns(pid, SERVER, [ip]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return child;
}

async function client(pid: number, ip: string, mode: 'stream' | 'ping', n: number): Promise<any> {
  const [cmd, ...args] = inNetns(pid, CLIENT, [ip, mode, String(n)]);
  const { stdout } = await exec(cmd, args, { timeout: 60_000 });
  return JSON.parse(stdout);
}

/** Throughput (bytes/s) and ping-pong median (ms) from pod `from` to `server`, rounds alternating with the other path. */
async function podPaths(c: TestCluster): Promise<{ same: { rate: number; rtt: number }; across: { rate: number; rtt: number } }> {
  const manifest = [pod('srv', 'node-1'), pod('near', 'node-1'), pod('far', 'node-2')];
  for (const m of manifest) await c.createPod(m);
  for (const name of ['srv', 'near', 'far']) await c.waitForPod(name, (p) => p.status?.phase === 'Running', 60_000);
  const socket = (node: string) => `${RUN_DIR}/${node}/docker.sock`;
  const [srvPid, nearPid, farPid] = await Promise.all([sandboxPid(c, 'srv', socket('node-1')), sandboxPid(c, 'near', socket('node-1')), sandboxPid(c, 'far', socket('node-2'))]);
  const srvIP = (await c.api('GET', '/api/v1/namespaces/default/pods/srv')).body.status.podIP;
  const server = await startServer(srvPid, srvIP);
  const rates = { same: [] as number[], across: [] as number[] };
  const rtts = { same: [] as number[], across: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // The two paths take turns going first.
      const order: Array<['same' | 'across', number]> = round % 2 === 0 ? [['same', nearPid], ['across', farPid]] : [['across', farPid], ['same', nearPid]];
      for (const [path, pid] of order) {
        rates[path].push(await client(pid, srvIP, 'stream', STREAM_SECONDS));
        rtts[path].push(...((await client(pid, srvIP, 'ping', 500)) as number[]));
      }
    }
  } finally {
    server.kill();
  }
  for (const name of ['srv', 'near', 'far']) await c.api('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
  return { same: { rate: median(rates.same), rtt: median(rtts.same) }, across: { rate: median(rates.across), rtt: median(rtts.across) } };
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** RSS of the engine's processes (dockerd, containerd: found by the machine's run directory) and the agent. */
function machineMemoryKb(c: TestCluster, node: string): number {
  let total = rssKb(c.agentPid(node));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(`${RUN_DIR}/${node}/`) && !cmdline.includes('containerd-shim')) total += rssKb(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const mbits = (bytesPerSecond: number) => `${((bytesPerSecond * 8) / 1e6).toFixed(0)} Mbit/s`;

function deployment(name: string): object {
  const tolerate = (key: string) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 6,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          tolerations: [tolerate('node.kubernetes.io/not-ready'), tolerate('node.kubernetes.io/unreachable')],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: name } } }],
          containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }],
        },
      },
    },
  };
}

/** ms from the failure until 6 replicas of `name` run off `victim`. */
async function replacedAfter(c: TestCluster, name: string, victim: string, fail: () => Promise<void>): Promise<number> {
  const r = await c.kctl(['apply', '-f', '-'], JSON.stringify(deployment(name)));
  if (r.code !== 0) throw new Error(r.stderr);
  const pods = async () => (await c.api('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${name}`)).body.items as any[];
  await until(`${name} runs 6 replicas`, async () => (await pods()).filter((p) => p.status?.phase === 'Running').length === 6);
  if (!(await pods()).some((p) => p.spec.nodeName === victim)) throw new Error(`no replica of ${name} on ${victim}`);
  const t0 = performance.now();
  await fail();
  await until(`6 replicas of ${name} run off ${victim}`, async () => (await pods()).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && p.spec.nodeName !== victim).length === 6);
  return performance.now() - t0;
}

/** How long each cluster's `cluster down` took, by its first `cluster up` arguments (`--nodes 3`, `--machines 3 --pod-network vxlan`). */
const downMs = new Map<string, number>();

async function withCluster<T>(c: TestCluster, args: string[], use: (upMs: number) => Promise<T>): Promise<T> {
  try {
    return await use(await timedUp(c, args));
  } finally {
    const t0 = performance.now();
    await c.down();
    downMs.set(args.slice(0, 4).join(' '), performance.now() - t0);
  }
}

async function main(): Promise<void> {
  // Baseline first: three agents on this computer's engine.
  const shared = new TestCluster();
  const { baselineUp, agentKb } = await withCluster(shared, ['--nodes', '3'], async (upMs) => ({ baselineUp: upMs, agentKb: rssKb(shared.agentPid('node-1')) }));

  const results: Record<string, { rate: number; rtt: number; across: { rate: number; rtt: number } }> = {};
  let upMs = 0;
  let engineMs = 0;
  let agentMs = 0;
  let machineKb = 0;
  for (const mode of ['host-gw', 'vxlan']) {
    const c = new TestCluster();
    c.host = LAN_GATEWAY;
    await withCluster(c, ['--machines', '3', '--pod-network', mode, '--node-monitor-grace-period-seconds', String(GRACE_SECONDS)], async (up) => {
      const paths = await podPaths(c);
      results[mode] = { ...paths.same, across: paths.across };
      if (mode !== 'host-gw') return;
      upMs = up;
      machineKb = median(['node-1', 'node-2', 'node-3'].map((n) => machineMemoryKb(c, n)));
      engineMs = await replacedAfter(c, 'engine-down', 'node-2', async () => {
        const r = await c.kctl(['machine', 'stop-engine', 'node-2']);
        if (r.code !== 0) throw new Error(r.stderr);
      });
      agentMs = await replacedAfter(c, 'agent-down', 'node-3', async () => {
        process.kill(c.agentPid('node-3'), 'SIGKILL');
      });
    });
  }

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  line('cluster up --machines 3 to all Nodes Ready', s(upMs), `<= 5 s (baseline --nodes 3: ${s(baselineUp)})`, upMs <= 5000);
  for (const [mode, want] of [['host-gw', 0.9], ['vxlan', 0.7]] as const) {
    const r = results[mode];
    const share = r.across.rate / r.rate;
    line(`pod-to-pod throughput across machines, ${mode}`, `${mbits(r.across.rate)} (${(share * 100).toFixed(0)}%)`, `>= ${want * 100}% of one machine's ${mbits(r.rate)}`, share >= want);
    line(`pod-to-pod round trip across machines, ${mode}`, `${r.across.rtt.toFixed(3)} ms median`, `(one machine: ${r.rtt.toFixed(3)} ms)`, true);
  }
  line('engine stopped to 6 replicas Running elsewhere', s(engineMs), `<= ${GRACE_SECONDS + 5} s (grace + 5 s; agent killed: ${s(agentMs)})`, engineMs <= (GRACE_SECONDS + 5) * 1000);
  const downs = ['host-gw', 'vxlan'].map((mode) => s(downMs.get(`--machines 3 --pod-network ${mode}`) ?? 0));
  line('cluster down of 3 machines (host-gw after its failures; vxlan)', downs.join('; '), `(cluster down of --nodes 3: ${s(downMs.get('--nodes 3') ?? 0)})`, true);
  line('memory per simulated machine (engine + agent)', `${(machineKb / 1024).toFixed(0)} MiB`, `(one --nodes agent: ${(agentKb / 1024).toFixed(0)} MiB)`, true);
}

await main();

// `kctl join` to Node Ready (issue 10, item 4): a control plane made by `kctl init` on loopback,
// then the printed join line run on a "worker" (its own KCTL_HOME and data dir on this machine):
// discovery of cluster-info (JWS and CA pin checked), the agent started as a detached service, its
// TLS bootstrap (key, CSR, auto-approval, signing) and its Node Ready. Timed from the command's
// start to its exit (it returns once the Node is Ready). Target <= 2 s; kubeadm reports 24-44 s.
// Baseline in the same run: `cluster up --nodes 1`'s agent start to Ready (the same bootstrap path
// without discovery), as `cluster up` reports it.
// Run: npm run bench -- join
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO, run, TestCluster } from '../test/helpers/test-cluster.js';
import { line, median } from './lib/report.js';

const RUNS = Number(process.env.RUNS ?? 3);
const kctl = (home: string, args: string[]) => run(process.execPath, [join(REPO, 'bin/kctl'), ...args], { ...process.env, KCTL_HOME: home, KUBECONFIG: '' });

async function joinOnce(joinLine: string[], i: number): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'kctl-bench-join-'));
  try {
    const t0 = performance.now();
    const r = await kctl(home, [...joinLine, '--node-name', `bench-${i}`]);
    const ms = performance.now() - t0;
    if (r.code !== 0) throw new Error(`kctl join failed: ${r.stderr}${r.stdout}`);
    return ms;
  } finally {
    await kctl(home, ['reset']);
    rmSync(home, { recursive: true, force: true });
  }
}

async function clusterUpAgentMs(): Promise<number> {
  const c = new TestCluster();
  try {
    const out = (await c.up(['--nodes', '1'])).stdout;
    const m = /Nodes Ready: node-1 \(in (\d+) ms\)/.exec(out);
    if (!m) throw new Error(`cluster up did not report its node: ${out}`);
    return Number(m[1]);
  } finally {
    await c.down();
  }
}

async function main(): Promise<void> {
  const c = new TestCluster();
  const joins: number[] = [];
  const baselines: number[] = [];
  try {
    c.port = await freePort();
    const init = await c.kctl(['init', '--advertise-address', '127.0.0.1', '--apiserver-bind-port', String(c.port)]);
    const printed = /^kctl (join .*)$/m.exec(init.stdout)?.[1];
    if (init.code !== 0 || !printed) throw new Error(`kctl init failed: ${init.stderr}${init.stdout}`);
    // Taking turns, so neither path is favoured by going first.
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        joins.push(await joinOnce(printed.split(' '), i));
        baselines.push(await clusterUpAgentMs());
      } else {
        baselines.push(await clusterUpAgentMs());
        joins.push(await joinOnce(printed.split(' '), i));
      }
    }
  } finally {
    await c.down();
  }
  const j = median(joins);
  const b = median(baselines);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  line('kctl join to Node Ready, median', `${s(j)} over ${RUNS} runs (${joins.map(s).join(', ')})`, '<= 2 s (kubeadm: 24-44 s)', j <= 2000);
  line('  baseline: cluster up --nodes 1, agent start to Ready', `${s(b)} (${s(Math.max(0, j - b))} more for discovery, service start)`, 'same run', true);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});

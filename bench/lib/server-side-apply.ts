// The server-side apply figures of bench/control-plane.ts (issue 11): `kubectl apply --server-side`
// of a 1,000-line manifest beside client-side `kubectl apply` of the same manifest; and create and
// update throughput with managedFields beside the same daemon built from the last commit before
// managedFields, both daemons measured in alternating rounds of the same run.
import https from 'node:https';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, copyFileSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO, type TestCluster } from '../../test/helpers/test-cluster.js';
import { apiAnswers } from '../../src/cli/cluster/processes.js';
import { line, median } from './report.js';

/** main's last commit before metadata.managedFields was kept on writes. */
const BEFORE_MANAGED_FIELDS = '62e793d';

function manifest(tag: string): string {
  const docs: string[] = [];
  for (let i = 0; i < 25; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels:
    app: app-${i}
    tier: backend
    team: payments
spec:
  replicas: 1
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
        tier: backend
    spec:
      containers:
      - name: server
        image: registry.local/app-${i}:${tag}
        ports:
        - containerPort: 8080
          name: http
        - containerPort: 9090
          name: metrics
        env:
        - name: MODE
          value: production
        - name: LOG_LEVEL
          value: info
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
      - name: sidecar
        image: registry.local/proxy:${tag}
        args: ["--port", "15001"]
        volumeMounts:
        - name: config
          mountPath: /etc/proxy
      volumes:
      - name: config
        emptyDir: {}
`);
  }
  return docs.join('---\n');
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/** Each run changes every image, so every run updates all 25 Deployments; the first (create) run is not counted. */
async function applyFigures(c: TestCluster): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kctl-bench-ssa-'));
  try {
    const file = join(dir, 'app.yaml');
    const runs = 7;
    const ssa: number[] = [];
    const csa: number[] = [];
    let lines = 0;
    for (const ns of ['bench-ssa', 'bench-csa']) spawnSync('kubectl', ['apply', '--validate=false', '-f', '-'], { env: c.env, input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n` });
    for (let i = 0; i <= runs; i++) {
      const text = manifest(`v${i}`);
      lines = text.split('\n').length - 1;
      writeFileSync(file, text);
      // The two take turns going first.
      const order = i % 2 ? ['csa', 'ssa'] : ['ssa', 'csa'];
      for (const which of order) {
        const ms =
          which === 'ssa'
            ? timed('kubectl', ['apply', '--server-side', '--validate=false', '-n', 'bench-ssa', '-f', file], c.env)
            : timed('kubectl', ['apply', '--validate=false', '-n', 'bench-csa', '-f', file], c.env);
        if (i > 0) (which === 'ssa' ? ssa : csa).push(ms);
      }
    }
    const s = median(ssa);
    const k = median(csa);
    line(`kubectl apply --server-side, ${lines}-line manifest, median`, `${s.toFixed(0)} ms (client-side ${k.toFixed(0)} ms)`, '<= client-side apply', s <= k);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The daemon of BEFORE_MANAGED_FIELDS, built into a scratch directory (node_modules linked from here). */
function buildBaseline(into: string): string {
  const src = join(into, 'src-tree');
  mkdirSync(src);
  const archive = spawnSync('bash', ['-c', `git -C "${REPO}" archive ${BEFORE_MANAGED_FIELDS} | tar -x -C "${src}"`]);
  if (archive.status !== 0) throw new Error(`cannot export ${BEFORE_MANAGED_FIELDS}: ${archive.stderr}`);
  symlinkSync(join(REPO, 'node_modules'), join(src, 'node_modules'));
  const tsc = spawnSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: src });
  if (tsc.status !== 0) throw new Error(`cannot build ${BEFORE_MANAGED_FIELDS}: ${tsc.stdout}`);
  return join(src, 'bin/kctl-apiserver');
}

interface Daemon {
  name: string;
  port: number;
  child: ChildProcess;
  agent: https.Agent;
}

async function startDaemon(name: string, bin: string, c: TestCluster, scratch: string): Promise<Daemon> {
  const dir = join(scratch, name);
  mkdirSync(dir);
  copyFileSync(join(c.home, 'tokens.csv'), join(dir, 'tokens.csv'));
  cpSync(join(c.home, 'pki'), join(dir, 'pki'), { recursive: true });
  const port = await freePort();
  const child = spawn(process.execPath, [bin, '--data-dir', dir, '--port', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if (await apiAnswers(`https://127.0.0.1:${port}`, c.ca, 200)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} daemon did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { name, port, child, agent: new https.Agent({ keepAlive: true, maxSockets: 100, ca: c.ca }) };
}

function request(d: Daemon, token: string, method: string, path: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: d.port,
        method,
        path,
        agent: d.agent,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'User-Agent': 'bench/1' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `count` writes from `clients` concurrent clients; writes per second. */
async function rate(count: number, clients: number, write: (i: number) => Promise<number>, expect: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const status = await write(next++);
        if (status !== expect) throw new Error(`write answered ${status}`);
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

const configMap = (name: string, v: number) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: 'bench', tier: 'config' } },
  data: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`key-${k}`, `value-${k}-${v}`])),
});

async function writeThroughput(c: TestCluster): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'kctl-bench-mf-'));
  const daemons: Daemon[] = [];
  try {
    let baselineBin: string;
    try {
      baselineBin = buildBaseline(scratch);
    } catch (err) {
      // A shallow clone has no history to build the baseline from: say so instead of failing the run.
      line('ConfigMap writes/s with managedFields vs before', `no baseline: ${(err as Error).message.split('\n')[0]}`, '>= 80% of before', false);
      return;
    }
    daemons.push(await startDaemon('managedFields', join(REPO, 'bin/kctl-apiserver'), c, scratch), await startDaemon('before', baselineBin, c, scratch));
    const token = c.token();
    const creates = new Map<string, number[]>();
    const updates = new Map<string, number[]>();
    const perRound = 1000;
    for (let round = 0; round < 6; round++) {
      // The two daemons take turns going first.
      for (const d of round % 2 ? [...daemons].reverse() : daemons) {
        const ns = `round-${round}`;
        await request(d, token, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
        const path = `/api/v1/namespaces/${ns}/configmaps`;
        const cr = await rate(perRound, 20, (i) => request(d, token, 'POST', path, configMap(`cm-${i}`, 0)), 201);
        const up = await rate(perRound, 20, (i) => request(d, token, 'PUT', `${path}/cm-${i}`, configMap(`cm-${i}`, 1)), 200);
        creates.set(d.name, [...(creates.get(d.name) ?? []), cr]);
        updates.set(d.name, [...(updates.get(d.name) ?? []), up]);
      }
    }
    for (const [what, rates] of [
      ['creates', creates],
      ['updates', updates],
    ] as const) {
      const now = median(rates.get('managedFields')!);
      const before = median(rates.get('before')!);
      line(`ConfigMap ${what}/s with managedFields, 20 clients`, `${now.toFixed(0)}/s (before: ${before.toFixed(0)}/s, ${((now / before) * 100).toFixed(0)}%)`, '>= 80% of before', now >= 0.8 * before);
    }
  } finally {
    for (const d of daemons) {
      d.agent.destroy();
      d.child.kill('SIGKILL');
      await new Promise((r) => (d.child.exitCode !== null ? r(undefined) : d.child.on('exit', r)));
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function serverSideApplyFigures(c: TestCluster): Promise<void> {
  await applyFigures(c);
  await writeThroughput(c);
}

// The CLI's start-up (issue "The CLI at Node's floor"): kctl's wall time beside `node -e 0` (the floor
// no Node program goes under) and the real kubectl against the same control-plane-only daemon, all
// in one run, the commands alternating round after round so load on the machine hits each alike.
// Baselines: kctl run as `node bin/kctl` (without its first line's environment and flags) and run
// from tsc's unbundled output, as bin/kctl ran it before the bundle.
// Run: npm run bench -- cli
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, REPO } from '../test/helpers/test-cluster.js';
import { line, median, percentile } from './lib/report.js';

const ROUNDS = 40;
const KCTL = join(REPO, 'bin/kctl');
const UNBUNDLED = `import(${JSON.stringify(join(REPO, 'dist/src/cli/main.js'))}).then((m) => m.main(process.argv.slice(1)))`;
// The same request with nothing of kctl: the kubeconfig read, one HTTPS GET of the pods as a Table,
// the body written out. What any Node client pays over `node -e 0` (loading https, TLS, the round trip).
const BARE_HTTPS_GET = `const c = JSON.parse(require('fs').readFileSync(process.env.KUBECONFIG, 'utf8'));
require('https').get(c.clusters[0].cluster.server + '/api/v1/namespaces/default/pods', {
  ca: Buffer.from(c.clusters[0].cluster['certificate-authority-data'], 'base64'),
  headers: { Authorization: 'Bearer ' + c.users[0].user.token, Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
}, (res) => res.pipe(process.stdout));`;

// NODE_EXTRA_CA_CERTS makes every Node program read and parse that file before it runs a line
// (Debian's whole bundle: ~70 ms). bin/kctl starts Node without it (and adds the file itself to the
// connections that use Node's roots), so the floor is measured both ways and kctl held to the lower.
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS ? ' (NODE_EXTRA_CA_CERTS set)' : '';
const WITHOUT_EXTRA_CA = { NODE_EXTRA_CA_CERTS: undefined };

interface Timed {
  argv: string[];
  /** Changes to the cluster's environment for this command. */
  env?: Record<string, string | undefined>;
}

const COMMANDS: Record<string, Timed> = {
  'node -e 0': { argv: [process.execPath, '-e', '0'] },
  'node -e 0, bare': { argv: [process.execPath, '-e', '0'], env: WITHOUT_EXTRA_CA },
  // With bin/kctl's environment and flag (no certificate file for OpenSSL's store): the least any
  // Node client pays for one request.
  'node https GET': { argv: [process.execPath, '--use-openssl-ca', '-e', BARE_HTTPS_GET], env: { ...WITHOUT_EXTRA_CA, SSL_CERT_FILE: '/dev/null' } },
  // Run as a user runs it: the script itself, through its first line.
  'kctl get pods': { argv: [KCTL, 'get', 'pods'] },
  'kctl get pods (node bin/kctl, before)': { argv: [process.execPath, KCTL, 'get', 'pods'] },
  'kctl get pods (unbundled, before)': { argv: [process.execPath, '--input-type=module', '-e', UNBUNDLED, 'get', 'pods'] },
  'kubectl get pods': { argv: ['kubectl', 'get', 'pods'] },
  'kctl version --client': { argv: [KCTL, 'version', '--client'] },
  'kubectl version --client': { argv: ['kubectl', 'version', '--client'] },
};

/** CPU time (user + system, ms) of this process's waited-for children, from /proc: unlike wall
 * time it hardly moves when other work shares the machine's cores. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function timeOnce({ argv, env: changes }: Timed, clusterEnv: NodeJS.ProcessEnv): Sample {
  const env = { ...clusterEnv };
  for (const [k, v] of Object.entries(changes ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wallMs, cpuMs: childrenCpuMs() - cpu0 };
}

async function main(): Promise<void> {
  const c = new TestCluster();
  // A benchmark stopped half-way still brings its cluster down.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void c.down().finally(() => process.exit(1)));
  try {
    await c.up([]);
    await c.kctl(['run', 'web', '--image', 'busybox:1.35', '--', 'sleep', '3600']);
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, []]));
    const cpu: Record<string, number> = Object.fromEntries(Object.keys(COMMANDS).map((k) => [k, 0]));
    // One warm-up round: the first run of each reads its files from disk.
    for (const command of Object.values(COMMANDS)) timeOnce(command, c.env);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, command] of Object.entries(COMMANDS)) {
        const sample = timeOnce(command, c.env);
        times[name].push(sample.wallMs);
        cpu[name] += sample.cpuMs;
      }
    }
    const med = (name: string) => median(times[name]);
    // The CPU time is a mean: each run's is counted in clock ticks of 10 ms.
    const shown = (name: string) =>
      `median ${med(name).toFixed(0)} ms, p90 ${percentile(times[name], 90).toFixed(0)} ms, cpu ${(cpu[name] / ROUNDS).toFixed(0)} ms`;
    process.stdout.write(`kctl CLI benchmark (node ${process.version}, ${cpus().length} cores, ${ROUNDS} alternating rounds)\n`);
    const floor = Math.min(med('node -e 0'), med('node -e 0, bare'));
    const kubectl = med('kubectl get pods');
    const get = med('kctl get pods');
    const version = med('kctl version --client');
    line(`node -e 0${EXTRA_CA}`, shown('node -e 0'), 'baseline', true);
    line('node -e 0 without NODE_EXTRA_CA_CERTS', shown('node -e 0, bare'), 'baseline', true);
    line('kubectl get pods', shown('kubectl get pods'), 'baseline', true);
    line('node: one HTTPS GET, no kctl code', shown('node https GET'), 'baseline', true);
    line('kubectl version --client', shown('kubectl version --client'), 'baseline', true);
    line('kctl get pods as `node bin/kctl` (before: Node loads the extra CAs)', shown('kctl get pods (node bin/kctl, before)'), 'baseline', true);
    line('kctl get pods, unbundled (before)', shown('kctl get pods (unbundled, before)'), 'baseline', true);
    line('kctl get pods', shown('kctl get pods'), `<= floor + 25 ms (${(floor + 25).toFixed(0)} ms)`, get <= floor + 25);
    line('  over the floor (the lower node -e 0)', `${(get - floor).toFixed(0)} ms`, '<= 25 ms', get - floor <= 25);
    line('  ratio to kubectl get pods', `${(get / kubectl).toFixed(2)}x`, '<= 1.3x', get <= 1.3 * kubectl);
    line('  over a bare node HTTPS GET (kctl\'s own share)', `${(get - med('node https GET')).toFixed(0)} ms wall, ${((cpu['kctl get pods'] - cpu['node https GET']) / ROUNDS).toFixed(0)} ms cpu`, 'baseline', true);
    line('kctl version --client', shown('kctl version --client'), `<= floor + 25 ms (${(floor + 25).toFixed(0)} ms)`, version <= floor + 25);
  } finally {
    await c.down();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});

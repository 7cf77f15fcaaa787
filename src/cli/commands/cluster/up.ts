// kctl cluster up: starts the daemon (and node agents) in the background under $KCTL_HOME and
// writes the kubeconfig that kctl and kubectl use.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeKubeconfig } from '../../../api/kubeconfig.js';
import { apiAnswers, clusterPaths, isAlive, readState, sleep, startDetached, tail, writeState } from '../../cluster/local-cluster.js';
import { ensureServingCert } from '../../cluster/certificates.js';
import { CliError } from '../../errors.js';

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--nodes must be a non-negative integer, got "${v}"`);
  return n;
}

export function register(cluster: Command): void {
  cluster
    .command('up')
    .description('Start a local cluster: the API server daemon and N node agents, in the background')
    .option('--nodes <n>', 'how many node agents to start', '0')
    .option('--port <port>', 'API server port', '6443')
    .option('--bind-address <addr>', 'API server address', '127.0.0.1')
    .option('--compact-interval-seconds <n>', 'how often the store drops old revisions', '300')
    .option('--timeout <seconds>', 'how long to wait for the cluster to answer', '30')
    .action(async (opts) => {
      const nodes = parseCount(opts.nodes);
      const p = clusterPaths();
      const existing = readState(p);
      if (existing && isAlive(existing.apiserverPid)) {
        process.stdout.write(`Cluster already running at ${existing.server} (KCTL_HOME=${p.home}).\n`);
        return;
      }
      if (nodes > 0) throw new CliError('node agents are not available yet in this version of kctl; use --nodes 0');
      mkdirSync(p.home, { recursive: true, mode: 0o700 });
      if (!existsSync(p.tokens)) writeFileSync(p.tokens, `${randomBytes(24).toString('hex')},admin\n`, { mode: 0o600 });
      const token = (await import('node:fs')).readFileSync(p.tokens, 'utf8').split('\n')[0].split(',')[0];
      const cert = ensureServingCert(p.home, opts.bindAddress);
      const server = `https://${opts.bindAddress === '0.0.0.0' ? '127.0.0.1' : opts.bindAddress}:${opts.port}`;
      const log = join(p.logs, 'apiserver.log');
      const started = Date.now();
      const pid = startDetached('kctl-apiserver', [
        '--data-dir',
        p.home,
        '--port',
        String(opts.port),
        '--bind-address',
        opts.bindAddress,
        '--compact-interval-seconds',
        String(opts.compactIntervalSeconds),
      ], log);
      const deadline = started + Number(opts.timeout) * 1000;
      while (!(await apiAnswers(server, cert.certPem))) {
        if (!isAlive(pid)) throw new CliError(`the API server exited before it answered. Its log (${log}) ends with:\n${tail(log)}`);
        if (Date.now() > deadline) throw new CliError(`the API server did not answer at ${server} within ${opts.timeout}s; see ${log}`);
        await sleep(25);
      }
      writeState(p, { server, port: Number(opts.port), bindAddress: opts.bindAddress, apiserverPid: pid, nodes: [] });
      writeKubeconfig(p.kubeconfig, 'kctl', server, token, cert.certPem);
      process.stdout.write(
        `API server running at ${server} (pid ${pid}, ready in ${Date.now() - started} ms)\n` +
          `Kubeconfig written to ${p.kubeconfig}; kubectl works with: export KUBECONFIG=${p.kubeconfig}\n`,
      );
    });
}

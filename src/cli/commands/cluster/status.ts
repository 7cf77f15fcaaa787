// kctl cluster status: is the local cluster running, where, and with which nodes.
import type { Command } from 'commander';
import { apiAnswers, clusterPaths, isAlive, readState } from '../../cluster/local-cluster.js';
import { ensureServingCert } from '../../cluster/certificates.js';
import { CliError } from '../../errors.js';

export function register(cluster: Command): void {
  cluster
    .command('status')
    .description('Show whether the local cluster is running, its address and its processes')
    .action(async () => {
      const p = clusterPaths();
      const state = readState(p);
      if (!state || !isAlive(state.apiserverPid)) throw new CliError(`no cluster is running under ${p.home} (start one with: kctl cluster up)`);
      const ready = await apiAnswers(state.server, ensureServingCert(p.home, state.bindAddress).certPem, 2000);
      const lines = [
        `API server:  ${state.server}  pid ${state.apiserverPid}  ${ready ? 'ready' : 'NOT ANSWERING'}`,
        `Data:        ${p.db}`,
        `Kubeconfig:  ${p.kubeconfig}`,
        `Node agents: ${state.nodes.length === 0 ? 'none' : ''}`,
        ...state.nodes.map((n) => `  ${n.name}  pid ${n.pid}  ${isAlive(n.pid) ? 'running' : 'NOT RUNNING'}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!ready) process.exitCode = 1;
    });
}

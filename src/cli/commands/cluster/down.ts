// kctl cluster down: stops every process `cluster up` started. The data stays unless --purge.
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { clearState, clusterPaths, readState, stopProcess } from '../../cluster/local-cluster.js';

export function register(cluster: Command): void {
  cluster
    .command('down')
    .description('Stop the local cluster (its data is kept for the next "cluster up" unless --purge)')
    .option('--purge', 'also delete the cluster data, kubeconfig and logs under $KCTL_HOME', false)
    .action(async (opts) => {
      const p = clusterPaths();
      const state = readState(p);
      if (!state) process.stdout.write(`No cluster is running under ${p.home}.\n`);
      else {
        await Promise.all(state.nodes.map((n) => stopProcess(n.pid)));
        await stopProcess(state.apiserverPid);
        clearState(p);
        process.stdout.write(`Cluster at ${state.server} stopped.\n`);
      }
      if (opts.purge) {
        rmSync(p.home, { recursive: true, force: true });
        process.stdout.write(`Removed ${p.home}.\n`);
      }
    });
}

// kctl cluster down: stops every process `cluster up` started. The data stays unless --purge.
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { clusterPaths } from '../../cluster/local-cluster.js';
import { stopLocalCluster } from '../../cluster/stop-cluster.js';
import type { IOStreams } from '../../io-streams.js';

export function register(cluster: Command, io: IOStreams): void {
  cluster
    .command('down')
    .description('Stop the local cluster (its data is kept for the next "cluster up" unless --purge)')
    .option('--purge', 'also delete the cluster data, kubeconfig and logs under $KCTL_HOME', false)
    .action(async (opts) => {
      const p = clusterPaths();
      if (!(await stopLocalCluster(io, p))) io.out.write(`No cluster is running under ${p.home}.\n`);
      if (opts.purge) {
        rmSync(p.home, { recursive: true, force: true });
        io.out.write(`Removed ${p.home}.\n`);
      }
    });
}

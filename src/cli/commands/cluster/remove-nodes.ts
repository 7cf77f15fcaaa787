// kctl cluster remove-nodes NAME...: stops nodes of node groups and removes what they ran (what
// the cluster autoscaler runs once it has drained a node; it deletes the Node itself).
import type { Command } from 'commander';
import { clusterPaths, readState } from '../../cluster/local-cluster.js';
import { removeGroupNodes } from '../../cluster/node-groups/group-nodes.js';
import { CliError } from '../../errors.js';
import type { IOStreams } from '../../io-streams.js';

export function register(cluster: Command, io: IOStreams): void {
  cluster
    .command('remove-nodes <names...>')
    .description('Stop nodes of node groups of the local cluster (the cluster autoscaler runs this after draining them)')
    .option('--timeout <seconds>', 'how long stopping may take', '120')
    .action(async (names: string[], opts) => {
      const p = clusterPaths();
      const state = readState(p);
      if (!state) throw new CliError(`no cluster is running under ${p.home}`);
      await removeGroupNodes(p, state, names, Number(opts.timeout) * 1000);
      io.out.write(`Stopped ${names.join(', ')}\n`);
    });
}

// kctl cluster add-nodes GROUP --count N: starts N new nodes of a node group (what the cluster
// autoscaler runs to grow a group; also usable by hand). Returns once they are started; their
// Nodes register and turn Ready shortly after.
import type { Command } from 'commander';
import { clusterPaths, readState } from '../../cluster/local-cluster.js';
import { addGroupNodes, findGroup } from '../../cluster/node-groups/group-nodes.js';
import { CliError } from '../../errors.js';
import type { IOStreams } from '../../io-streams.js';

export function register(cluster: Command, io: IOStreams): void {
  cluster
    .command('add-nodes <group>')
    .description('Start new nodes of a node group of the local cluster (the cluster autoscaler runs this)')
    .option('--count <n>', 'how many nodes to start', '1')
    .option('--timeout <seconds>', 'how long starting a node (a machine: its engine and join) may take', '300')
    .action(async (name: string, opts) => {
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1) throw new CliError(`--count must be a positive integer, got "${opts.count}"`);
      const p = clusterPaths();
      const state = readState(p);
      if (!state) throw new CliError(`no cluster is running under ${p.home}`);
      const group = findGroup(state, name);
      const names = await addGroupNodes(p, state, group, count, Number(opts.timeout) * 1000);
      io.out.write(`Started ${names.length} node(s) of group ${group.name}: ${names.join(', ')}\n`);
    });
}

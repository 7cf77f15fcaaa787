// kctl cluster restore FILE: replaces the store with a backup. The file is checked before anything
// stops; a running cluster is stopped for the swap and started again with the options it was
// started with (even when the swap fails). Revisions keep going up, and every watch begun before
// the restore gets 410 Gone when it resumes, so clients re-list instead of missing changes.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { clusterPaths, readState, type ClusterState } from '../../cluster/local-cluster.js';
import { isAlive, stopProcess } from '../../cluster/processes.js';
import { runStoreTool } from '../../cluster/store-tool.js';
import { startCluster } from './up.js';
import type { IOStreams } from '../../io-streams.js';

/** The `cluster up` arguments that bring this cluster back as it was. */
function upArguments(state: ClusterState): string[] {
  // Clusters started before the flags were recorded come back with their address and node count.
  return state.upFlags ?? ['--port', String(state.port), '--bind-address', state.bindAddress, '--nodes', String(state.nodes.length)];
}

export function register(cluster: Command, io: IOStreams): void {
  cluster
    .command('restore')
    .description('Replace the cluster store with a backup made by "kctl cluster backup" (restarts a running cluster)')
    .argument('<file>', 'the backup file')
    .action(async (file: string) => {
      const p = clusterPaths();
      const backup = resolve(file);
      await runStoreTool(['--data-dir', p.home, '--check-backup', backup]);
      const state = readState(p);
      const running = !!state && isAlive(state.apiserverPid);
      if (running) await stopProcess(state!.apiserverPid);
      try {
        await runStoreTool(['--data-dir', p.home, '--restore', backup]);
      } finally {
        if (running) await startCluster(io, upArguments(state!));
      }
    });
}

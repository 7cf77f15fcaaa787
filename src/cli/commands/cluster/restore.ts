// kctl cluster restore FILE: replaces the store with a backup. A running cluster is stopped for the
// swap and started again; revisions keep going up, so watchers re-list instead of missing changes.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { clusterPaths, isAlive, readState, stopProcess } from '../../cluster/local-cluster.js';
import { runStoreTool } from '../../cluster/store-tool.js';

export function register(cluster: Command): void {
  cluster
    .command('restore')
    .description('Replace the cluster store with a backup made by "kctl cluster backup" (restarts a running cluster)')
    .argument('<file>', 'the backup file')
    .action(async (file: string) => {
      const p = clusterPaths();
      const state = readState(p);
      const running = !!state && isAlive(state.apiserverPid);
      if (running) await stopProcess(state!.apiserverPid);
      await runStoreTool(['--data-dir', p.home, '--restore', resolve(file)]);
      if (running) {
        const { main } = await import('../../main.js');
        await main(['cluster', 'up', '--port', String(state!.port), '--bind-address', state!.bindAddress, '--nodes', String(state!.nodes.length)]);
      }
    });
}

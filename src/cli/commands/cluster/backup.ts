// kctl cluster backup FILE: a consistent copy of the whole store, taken while the cluster runs.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { clusterPaths } from '../../cluster/local-cluster.js';
import { runStoreTool } from '../../cluster/store-tool.js';
import type { IOStreams } from '../../io-streams.js';

export function register(cluster: Command, io: IOStreams): void {
  cluster
    .command('backup')
    .description("Copy the cluster's whole store to FILE (SQLite online backup; the cluster keeps running)")
    .argument('<file>', 'where to write the backup')
    .action(async (file: string) => {
      const p = clusterPaths();
      await runStoreTool(['--data-dir', p.home, '--backup', resolve(file)]);
    });
}

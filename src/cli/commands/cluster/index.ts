// kctl cluster: the local cluster's life cycle.
import type { Command } from 'commander';
import { register as registerUp } from './up.js';
import { register as registerDown } from './down.js';
import { register as registerStatus } from './status.js';
import { register as registerBackup } from './backup.js';
import { register as registerRestore } from './restore.js';
import { register as registerAddNodes } from './add-nodes.js';
import { register as registerRemoveNodes } from './remove-nodes.js';
import type { IOStreams } from '../../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const cluster = program.command('cluster').description('Bring a local cluster up or down, show its status, back it up or restore it');
  for (const r of [registerUp, registerDown, registerStatus, registerBackup, registerRestore, registerAddNodes, registerRemoveNodes]) r(cluster, io);
  cluster.commands.forEach((c) => c.exitOverride());
}

// kctl config: view and change kubeconfig files, as kubectl config does.
import type { Command } from 'commander';
import { register as registerView } from './view.js';
import { register as registerGetContexts } from './get-contexts.js';
import { register as registerCurrentContext } from './current-context.js';
import { register as registerUseContext } from './use-context.js';
import { register as registerSetContext } from './set-context.js';
import { register as registerSetCluster } from './set-cluster.js';
import { register as registerSetCredentials } from './set-credentials.js';
import { register as registerDelete } from './delete.js';
import type { IOStreams } from '../../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  const config = program.command('config').description('Modify kubeconfig files');
  for (const r of [registerView, registerGetContexts, registerCurrentContext, registerUseContext, registerSetContext, registerSetCluster, registerSetCredentials, registerDelete]) r(config, io);
  config.commands.forEach((c) => c.exitOverride());
}

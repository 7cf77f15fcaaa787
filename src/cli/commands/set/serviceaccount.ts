// kctl set serviceaccount TYPE NAME SERVICE_ACCOUNT: the service account of pod templates.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { registerPodSpecCommand } from './pod-spec-command.js';
import type { IOStreams } from '../../io-streams.js';

export function register(set: Command, io: IOStreams): void {
  registerPodSpecCommand(set, io, {
    name: 'serviceaccount',
    alias: 'sa',
    description: 'Update the service account of a resource',
    done: 'serviceaccount updated',
    options: (cmd) => cmd,
    change: (args) => {
      if (args.length === 0) throw new CliError('serviceaccount is required');
      const name = args[args.length - 1];
      return {
        resources: args.slice(0, -1),
        change: (spec) => {
          spec.serviceAccountName = name;
        },
      };
    },
  });
}

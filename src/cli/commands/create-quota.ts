// kctl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2], as kubectl builds it.
import type { Command } from 'commander';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { quotaFor } from '../generators/quota.js';
import { kindResource } from '../kind-resource.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const QUOTAS = kindResource('v1', 'ResourceQuota', 'resourcequotas', true);

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(create.command('quota').alias('resourcequota').description('Create a quota with the specified name').argument('[name...]'))
    .option('--hard <pairs>', 'resource=quantity pairs that define the hard limits, comma-separated', '')
    .option('--scopes <scopes>', 'quota scopes the quota tracks, comma-separated', '')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      await createGenerated(io, cmd, QUOTAS, opts, 'quota', (namespace) => quotaFor(name, namespace, opts.hard, opts.scopes), true);
    });
}

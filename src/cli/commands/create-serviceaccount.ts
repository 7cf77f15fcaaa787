// kctl create serviceaccount NAME, as kubectl builds it.
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { serviceAccountFor } from '../generators/typed-object.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;

export function register(create: Command, io: IOStreams): void {
  addGeneratorOptions(create.command('serviceaccount').alias('sa').description('Create a service account with the specified name').argument('[name...]'))
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const name = exactlyOneName(args, cmd);
      await createGenerated(io, cmd, SERVICE_ACCOUNTS, opts, 'serviceaccount', (namespace) => serviceAccountFor(name, namespace), true);
    });
}

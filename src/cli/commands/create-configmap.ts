// kctl create configmap NAME [--from-file=[KEY=]SOURCE] [--from-literal=KEY=VALUE] [--from-env-file=FILE],
// as kubectl builds it (generators/configmap.ts).
import type { Command } from 'commander';
import { findByKind } from '../../api/resources.js';
import { addGeneratorOptions, createGenerated } from '../create-generated.js';
import { configMapFor } from '../generators/configmap.js';
import { dryRunOption } from '../manifest/report.js';
import { exactlyOneName } from '../name-arg.js';
import { outputOption } from '../printers/operation-result.js';
import { stringArray, stringSlice } from '../repeatable-flags.js';
import type { IOStreams } from '../io-streams.js';

const CONFIGMAPS = findByKind('ConfigMap')!;

/** The data flags configmap and secret generic share. */
export function addDataOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--from-file <[key=]source>', `key file or directory (one key per regular file in it) for the ${what}; repeatable`, stringSlice, [])
    .option('--from-literal <key=value>', `a key and literal value for the ${what}; repeatable`, stringArray, [])
    .option('--from-env-file <file>', `a file of key=value lines for the ${what}; repeatable`, stringSlice, [])
    .option('--append-hash', `append a hash of the ${what} to its name`, false);
}

export function register(create: Command, io: IOStreams): void {
  const cmd = create
    .command('configmap')
    .alias('cm')
    .description('Create a config map from a local file, directory or literal value')
    .argument('[name...]');
  addGeneratorOptions(addDataOptions(cmd, 'configmap'))
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, command: Command) => {
      const name = exactlyOneName(args, command);
      await createGenerated(
        io, command,
        CONFIGMAPS,
        opts,
        'configmap',
        (namespace) => configMapFor({ name, namespace, fromFile: opts.fromFile, fromLiteral: opts.fromLiteral, fromEnvFile: opts.fromEnvFile, appendHash: opts.appendHash }),
        true,
      );
    });
}

// kctl config current-context: the current context's name.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

export function register(config: Command, io: IOStreams): void {
  config
    .command('current-context')
    .description('Display the current-context')
    .action(async (_opts, cmd: Command) => {
      const current = (await configFilesOf(cmd)).currentContext();
      if (!current) throw new CliError('current-context is not set');
      io.out.write(`${current}\n`);
    });
}

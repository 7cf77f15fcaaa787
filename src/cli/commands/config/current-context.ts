// kctl config current-context: the current context's name.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { configFilesOf } from './files.js';

export function register(config: Command): void {
  config
    .command('current-context')
    .description('Display the current-context')
    .action(async (_opts, cmd: Command) => {
      const current = (await configFilesOf(cmd)).currentContext();
      if (!current) throw new CliError('current-context is not set');
      process.stdout.write(`${current}\n`);
    });
}

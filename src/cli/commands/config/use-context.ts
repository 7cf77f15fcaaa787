// kctl config use-context NAME: makes it the current context.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

export function register(config: Command, io: IOStreams): void {
  config
    .command('use-context')
    .alias('use')
    .description('Set the current-context in a kubeconfig file')
    .argument('<name>')
    .action(async (name: string, _opts, cmd: Command) => {
      const files = await configFilesOf(cmd);
      if (!files.find('contexts', name)) throw new CliError(`no context exists with the name: "${name}"`);
      files.setCurrentContext(name);
      await files.save();
      io.out.write(`Switched to context "${name}".\n`);
    });
}

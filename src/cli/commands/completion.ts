// kctl completion bash|zsh: the shell completion script for every kctl command (see completion-script.ts).
import type { Command } from 'commander';
import { RESOURCES } from '../../api/resources.js';
import { bashCompletion, commandTree, zshCompletion } from '../completion-script.js';
import { CliError } from '../errors.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('completion')
    .description('Output shell completion code for bash or zsh')
    .argument('[shell]', 'bash or zsh')
    .action(async (shell: string | undefined) => {
      if (!shell) throw new CliError('Shell not specified.\nSee \'kctl completion -h\' for help and examples');
      if (shell !== 'bash' && shell !== 'zsh') throw new CliError(`Unsupported shell type "${shell}".`);
      // The program this command was added to has every command (command-table.ts registers them
      // all for completion): the tree is read from it.
      const tree = commandTree(program);
      const types = [...new Set(RESOURCES.flatMap((r) => [r.plural, ...r.shortNames]))].sort();
      io.out.write(shell === 'bash' ? bashCompletion(tree, types) : zshCompletion(tree, types));
    });
}

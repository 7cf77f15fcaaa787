// kctl completion bash|zsh: the shell completion script for every kctl command (see completion-script.ts).
import type { Command } from 'commander';
import { RESOURCES } from '../../api/resources.js';
import { bashCompletion, commandTree, zshCompletion } from '../completion-script.js';
import { CliError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('completion')
    .description('Output shell completion code for bash or zsh')
    .argument('[shell]', 'bash or zsh')
    .action(async (shell: string | undefined) => {
      if (!shell) throw new CliError('Shell not specified.\nSee \'kctl completion -h\' for help and examples');
      if (shell !== 'bash' && shell !== 'zsh') throw new CliError(`Unsupported shell type "${shell}".`);
      // Every command, not only this one: build the whole tree.
      const { buildProgram } = await import('../main.js');
      const tree = commandTree(await buildProgram([]));
      const types = [...new Set(RESOURCES.flatMap((r) => [r.plural, ...r.shortNames]))].sort();
      process.stdout.write(shell === 'bash' ? bashCompletion(tree, types) : zshCompletion(tree, types));
    });
}

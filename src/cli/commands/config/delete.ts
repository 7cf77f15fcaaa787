// kctl config delete-context|delete-cluster|delete-user NAME: removes the entry from the file that holds it.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import type { Section } from '../../kubeconfig/config-files.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

const KINDS: [command: string, section: Section, noun: string][] = [
  ['delete-context', 'contexts', 'context'],
  ['delete-cluster', 'clusters', 'cluster'],
  ['delete-user', 'users', 'user'],
];

export function register(config: Command, io: IOStreams): void {
  for (const [command, section, noun] of KINDS) {
    config
      .command(command)
      .description(`Delete the specified ${noun} from the kubeconfig`)
      .argument('<name>')
      .action(async (name: string, _opts, cmd: Command) => {
        const files = await configFilesOf(cmd);
        const wasCurrent = section === 'contexts' && files.currentContext() === name;
        const path = files.remove(section, name);
        if (!path) throw new CliError(`cannot delete ${noun} ${name}, not in ${files.defaultFile().path}`);
        await files.save();
        if (wasCurrent) io.errOut.write('warning: this removed your active context, use "kubectl config use-context" to select a different one\n');
        io.out.write(`deleted ${noun} ${name} from ${path}\n`);
      });
  }
}

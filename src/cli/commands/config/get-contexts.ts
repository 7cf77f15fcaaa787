// kctl config get-contexts [NAME] [--no-headers] [-o name]: kubectl's CURRENT NAME CLUSTER AUTHINFO NAMESPACE table.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { contextRows } from '../../kubeconfig/config-view.js';
import { alignColumns } from '../../printers/text-table.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

export function register(config: Command, io: IOStreams): void {
  config
    .command('get-contexts')
    .description('Describe one or many contexts')
    .argument('[names...]')
    .option('--no-headers', 'print no header line')
    .option('-o, --output <format>', 'name: print only the context names')
    .action(async (names: string[], opts, cmd: Command) => {
      if (opts.output && opts.output !== 'name') throw new CliError(`output must be one of '' or 'name': ${opts.output}`);
      const files = await configFilesOf(cmd);
      const all = files.entries('contexts');
      const chosen = names.length ? all.filter((c) => names.includes(c.name)) : all;
      const missing = names.filter((n) => !all.some((c) => c.name === n));
      if (opts.output === 'name') io.out.write(chosen.map((c) => `${c.name}\n`).join(''));
      else {
        const header = opts.headers === false ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
        io.out.write(alignColumns([...header, ...contextRows(chosen, files.currentContext())]));
      }
      if (missing.length) throw new CliError(missing.map((n) => `context ${n} not found`).join('\n'));
    });
}

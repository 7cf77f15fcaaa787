// kctl config view [--minify] [--raw] [--flatten] [-o yaml|json|jsonpath=...]: the merged kubeconfig.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { GlobalOptions } from '../../context.js';
import { CliError } from '../../errors.js';
import { viewConfig } from '../../kubeconfig/config-view.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

export function register(config: Command, io: IOStreams): void {
  config
    .command('view')
    .description('Display merged kubeconfig settings or a specified kubeconfig file')
    .option('--minify', 'only the information the current context uses', false)
    .option('--raw', 'show certificate data, tokens and passwords as they are', false)
    .option('--flatten', 'embed referenced certificate and key files as data', false)
    .addOption(new Option('-o, --output <format>', 'yaml, json, jsonpath=TEMPLATE').default('yaml'))
    .action(async (opts, cmd: Command) => {
      const files = await configFilesOf(cmd);
      const { printObjects, parseOutputFormat } = await import('../../printers/index.js');
      let format;
      try {
        format = parseOutputFormat(opts.output);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (format.type === 'table' || format.type === 'name' || format.type.startsWith('custom-columns')) {
        throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,yaml`);
      }
      const view = viewConfig(
        {
          clusters: files.entries('clusters'),
          users: files.entries('users'),
          contexts: files.entries('contexts'),
          currentContext: files.currentContext(),
          sourceOf: (entry) => files.files.find((f) => Object.values(f.doc).some((v) => Array.isArray(v) && v.includes(entry)))?.path,
        },
        { minify: opts.minify, raw: opts.raw || opts.flatten, flatten: opts.flatten, context: (cmd.optsWithGlobals() as GlobalOptions).context },
      );
      io.out.write(printObjects([view as any], format as any, { singleObject: true, keepKeyOrder: true }));
    });
}

// kctl config set-context [NAME | --current] [--cluster=C] [--user=U] [--namespace=N]: creates or changes a context.
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { configFilesOf } from './files.js';
import type { IOStreams } from '../../io-streams.js';

export function register(config: Command, io: IOStreams): void {
  config
    .command('set-context')
    .description('Set a context entry in kubeconfig')
    .argument('[name]')
    .option('--current', 'modify the current context')
    .option('--cluster <name>', 'the cluster of the context')
    .option('--user <name>', 'the user of the context')
    .option('--namespace <ns>', 'the namespace of the context')
    .action(async (nameArg: string | undefined, opts, cmd: Command) => {
      const files = await configFilesOf(cmd);
      if (nameArg && opts.current) throw new CliError('you cannot specify both a context name and --current');
      const name = opts.current ? files.currentContext() : nameArg;
      if (opts.current && !name) throw new CliError('no current context is set');
      if (!name) throw new CliError('you must specify a non-empty context name or --current');
      // --namespace is also kctl's global flag, which takes it wherever it is written.
      const namespace: string | undefined = cmd.optsWithGlobals().namespace;
      const existed = files.upsert('contexts', name, (ctx) => {
        if (opts.cluster !== undefined) ctx.cluster = opts.cluster;
        if (opts.user !== undefined) ctx.user = opts.user;
        if (namespace !== undefined) ctx.namespace = namespace;
        ctx.cluster ??= '';
        ctx.user ??= '';
      });
      await files.save();
      io.out.write(`Context "${name}" ${existed ? 'modified' : 'created'}.\n`);
    });
}

// kctl label and kctl annotate: one implementation, told apart by a MetadataKind. Each object gets a
// merge patch of its labels or annotations; the line printed is kubectl's (`pod/web labeled`).
import type { Command } from 'commander';
import { ApiError } from '../api/errors.js';
import { qualifiedSingular } from '../api/resources.js';
import { connect } from './context.js';
import { CliError } from './errors.js';
import { applyMetadataChanges, metadataPatch, splitPairArgs, type MetadataKind } from './metadata-pairs.js';
import { selectObjects } from './select-objects.js';
import type { IOStreams } from './io-streams.js';

export function registerMetadataCommand(program: Command, io: IOStreams, kind: MetadataKind, description: string): void {
  const noun = kind.noun;
  program
    .command(kind.command)
    .description(description)
    .argument('[args...]', `TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE/NAME ... | KEY-`)
    .option('--overwrite', `allow existing ${noun}s to be overwritten`, false)
    .option('--all', `select all resources of the type in the namespace`, false)
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('-A, --all-namespaces', 'with --all or a selector: in every namespace', false)
    .action(async (args: string[], opts, cmd: Command) => {
      const { resources, pairs } = splitPairArgs(args, noun);
      if (resources.length < 1) throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
      const changes = kind.parse(pairs);
      if (Object.keys(changes.set).length === 0 && changes.remove.length === 0) throw new CliError(`at least one ${noun} update is required`);
      const ctx = await connect(cmd);
      let failed = false;
      for (const { r, obj } of await selectObjects(ctx, resources, opts)) {
        const before: Record<string, string> = obj.metadata[kind.field] ?? {};
        try {
          if (kind.reportsMissingRemoval) for (const k of changes.remove) if (!(k in before)) io.out.write(`${noun} "${k}" not found.\n`);
          const after = applyMetadataChanges(kind, before, changes, opts.overwrite);
          if (JSON.stringify(after) !== JSON.stringify(before)) {
            await ctx.client.patch(r, obj.metadata.namespace, obj.metadata.name!, 'merge', metadataPatch(kind.field, before, after), {
              fieldManager: kind.field === 'labels' ? 'kubectl-label' : 'kubectl-annotate',
            });
          }
          io.out.write(`${qualifiedSingular(r)}/${obj.metadata.name} ${kind.outcome(before, after, opts.overwrite)}\n`);
        } catch (err) {
          // kubectl goes on with the other objects and fails at the end.
          if (err instanceof CliError) io.errOut.write(`error: ${err.message}\n`);
          else if (err instanceof ApiError) io.errOut.write(`Error from server (${err.reason}): ${err.message}\n`);
          else throw err;
          failed = true;
        }
      }
      if (failed) process.exitCode = 1;
    });
}

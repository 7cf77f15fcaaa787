// kctl patch (-f FILE | TYPE NAME) (-p PATCH | --patch-file F) [--type strategic|merge|json]
// [--subresource status|scale]: sends the patch (or applies it locally with --dry-run=client) and
// prints `deployment.apps/web patched`, or `patched (no change)` when the object came back as it
// was. As kubectl, no dry-run suffix is printed.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { resourcePath } from '../../api/http-client.js';
import { semanticallyEqual } from '../../api/semantic-equality.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { NO_RESOURCES_GIVEN, reportAndContinue } from '../continue-on-error.js';
import { CliError } from '../errors.js';
import { readManifests } from '../manifest/read-manifests.js';
import { addFilenameOptions, dryRunOption } from '../manifest/report.js';
import { targetOf } from '../manifest/target.js';
import { resolveTargets, type Target } from '../object-targets.js';
import { applyPatchLocally, checkPatchFlags, parsePatchText, patchOperation } from '../patch-document.js';
import { objectOutput, outputOption, printResult } from '../printers/operation-result.js';
import type { IOStreams } from '../io-streams.js';

function readPatch(opts: { patch?: string; patchFile?: string }): unknown {
  if (!opts.patchFile) return parsePatchText(opts.patch!, opts.patch!);
  let text: string;
  try {
    text = readFileSync(opts.patchFile, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`unable to read patch file: open ${opts.patchFile}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`);
  }
  return parsePatchText(text, opts.patch ?? '');
}

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(program.command('patch').description('Update fields of a resource'), 'identifying the resource to update')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('-p, --patch <patch>', 'the patch to apply to the resource, JSON or YAML')
    .option('--patch-file <file>', 'a file containing the patch')
    .option('--type <type>', 'the type of patch: json, merge or strategic', 'strategic')
    .option('--subresource <name>', 'patch this subresource of the object: status or scale')
    .addOption(outputOption())
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const type = checkPatchFlags(opts);
      const patch = readPatch(opts);
      const format = objectOutput(opts.output);
      if (!args.length && !opts.filename.length) throw new CliError(NO_RESOURCES_GIVEN);
      const ctx = await connect(cmd);
      try {
        const targets: Target[] = [];
        for (const m of opts.filename.length ? await readManifests(io, opts.filename, opts.recursive) : []) {
          const target = m.error ? { error: m.error } : await targetOf(m.obj!, ctx);
          if ('error' in target) reportAndContinue(io, new CliError(target.error));
          else targets.push({ r: target.r, obj: await ctx.client.get(target.r, target.namespace, m.obj!.metadata.name!) });
        }
        if (args.length) targets.push(...(await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'patch' })));
        for (const { r, obj } of targets) {
          try {
            const { namespace, name } = obj.metadata;
            const before: KubeObject = opts.subresource ? await ctx.client.request('GET', resourcePath(r, namespace, name!, opts.subresource)) : obj;
            const after =
              opts.dryRun === 'client'
                ? applyPatchLocally(before, type, patch)
                : await ctx.client.patch(r, namespace, name!, type, patch, { subresource: opts.subresource, dryRun: opts.dryRun === 'server', fieldManager: 'kubectl-patch' });
            await printResult(io, after, patchOperation(!semanticallyEqual(before, after)), format);
          } catch (err) {
            reportAndContinue(io, err);
          }
        }
      } finally {
        ctx.client.close();
      }
    });
}

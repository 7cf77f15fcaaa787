// What set env, set resources and set serviceaccount share (kubectl's CalculatePatches): the
// objects from TYPE NAME, TYPE/NAME, -f, -l or --all; a change made to a copy of each object's pod
// spec; the two-way strategic merge patch between the two sent (or, with --local or
// --dry-run=client, the changed object printed); objects left unchanged are not printed.
import type { Command } from 'commander';
import { createTwoWayMergePatch } from '../../../api/patch/three-way-merge.js';
import type { KubeObject } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { readManifests } from '../../manifest/read-manifests.js';
import { addFilenameOptions, dryRunOf, dryRunOption } from '../../manifest/report.js';
import { targetOf } from '../../manifest/target.js';
import { resolveTargets, type Target } from '../../object-targets.js';
import { podSpecOf } from '../../pod-template.js';
import { objectOutput, outputOption, printResult } from '../../printers/operation-result.js';
import type { IOStreams } from '../../io-streams.js';

/** Changes the pod spec in place; throws a CliError for the object (reported after the others). */
export type PodSpecChange = (spec: Record<string, any>, obj: KubeObject) => void;

export interface PodSpecCommand {
  name: string;
  alias?: string;
  description: string;
  /** What is printed after the object's name: `env updated`. */
  done: string;
  /** Options of the command. */
  options(cmd: Command): Command;
  /** Builds the change from the arguments that are not resources, or throws the usage error. */
  change(args: string[], opts: any): { resources: string[]; change: PodSpecChange };
  /** set env --list prints instead of changing. */
  list?(targets: Target[], opts: any): boolean;
}

export function registerPodSpecCommand(set: Command, io: IOStreams, spec: PodSpecCommand): void {
  const cmd = addFilenameOptions(set.command(spec.name).description(spec.description), 'identifying the resources')
    .argument('[args...]')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('--all', 'every object of the types given, in the namespace', false)
    .option('--local', 'change the objects of -f locally, without contacting the server', false)
    .addOption(outputOption())
    .addOption(dryRunOption());
  if (spec.alias) cmd.alias(spec.alias);
  spec.options(cmd).action(async (args: string[], opts, command: Command) => {
    const { resources, change } = spec.change(args, opts);
    const format = objectOutput(opts.output);
    const dryRun = dryRunOf(command);
    if (opts.local && resources.length) throw new CliError('cannot specify resources by name or type with --local, use -f');
    const ctx = opts.local ? undefined : await connect(command);
    const errors: string[] = [];
    try {
      const targets: Target[] = [];
      for (const m of opts.filename.length ? await readManifests(io, opts.filename, opts.recursive) : []) {
        if (m.error) throw new CliError(m.error);
        if (!ctx) {
          targets.push({ r: undefined as never, obj: m.obj! });
          continue;
        }
        const target = await targetOf(m.obj!, ctx);
        if ('error' in target) throw new CliError(target.error);
        targets.push({ r: target.r, obj: await ctx.client.get(target.r, target.namespace, m.obj!.metadata.name!) });
      }
      if (ctx && (resources.length || !opts.filename.length)) {
        targets.push(...(await resolveTargets(ctx.client, ctx.namespace, resources, { verb: `set ${spec.name}`, selector: opts.selector, all: opts.all })));
      }
      if (spec.list?.(targets, opts)) return;
      for (const t of targets) {
        const modified = structuredClone(t.obj);
        const podSpec = podSpecOf(modified);
        if (!podSpec) {
          errors.push(`${t.obj.kind}/${t.obj.metadata.name} ${`is not supported by set ${spec.name}`}`);
          continue;
        }
        try {
          change(podSpec, modified);
        } catch (err) {
          if (!(err instanceof CliError)) throw err;
          errors.push(err.message);
          continue;
        }
        const patch = createTwoWayMergePatch(t.obj, modified, t.obj.kind!);
        if (Object.keys(patch).length === 0) continue;
        let result = modified;
        if (ctx && dryRun !== 'client') {
          result = await ctx.client.patch(t.r, t.obj.metadata.namespace, t.obj.metadata.name!, 'strategic', patch, { dryRun: dryRun === 'server', fieldManager: 'kubectl-set' });
          result = { ...result, apiVersion: t.obj.apiVersion, kind: t.obj.kind };
        }
        await printResult(io, result, spec.done, format, opts.local ? 'none' : dryRun);
      }
    } finally {
      ctx?.client.close();
    }
    if (errors.length) throw new CliError(errors.join('\nerror: '));
  });
}

/** Containers whose names match a -c glob (`*` and `?`), kubectl's selectContainers. */
export function selectContainers(containers: Array<Record<string, any>> | undefined, pattern: string): Array<Record<string, any>> {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  return (containers ?? []).filter((c) => re.test(c.name));
}

// kctl delete: by name, TYPE/NAME, label selector, --all or -f, and (like kubectl) waits until the
// objects are really gone unless --wait=false.
import type { Command } from 'commander';
import { Option } from 'commander';
import { ApiError } from '../../api/errors.js';
import { qualifiedSingular, type ResourceType } from '../../api/resources.js';
import type { DeleteOptions } from '../../api/client.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { parseResourceArgs } from '../resource-args.js';
import { targetOf } from '../manifest/target.js';
import { addFilenameOptions, dryRunOption, dryRunSuffix } from '../manifest/report.js';
import { waitForDeletion } from '../wait-for-deletion.js';
import type { IOStreams } from '../io-streams.js';

interface Deletion {
  r: ResourceType;
  namespace: string | undefined;
  name: string;
  uid?: string;
}

const CASCADE: Record<string, DeleteOptions['propagationPolicy']> = {
  background: 'Background',
  true: 'Background',
  foreground: 'Foreground',
  orphan: 'Orphan',
  false: 'Orphan',
};

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(program.command('delete').description('Delete resources by file names, stdin, resources and names, or by resources and label selector').argument('[args...]', 'TYPE [NAME...] | TYPE/NAME...'), 'of what to delete')
    .option('-k, --kustomize <dir>', 'delete the objects the kustomization in this directory builds')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('--field-selector <selector>', 'field selector to filter on')
    .option('--all', 'delete all resources of the types given, in the namespace', false)
    .option('-A, --all-namespaces', 'with --all or a selector: in every namespace', false)
    .option('--ignore-not-found', 'treat "resource not found" as a successful delete', false)
    .addOption(new Option('--cascade <mode>', 'background, foreground or orphan: what happens to dependents').default('background'))
    .option('--grace-period <seconds>', 'seconds given to the resource to terminate gracefully (-1: its own default)', '-1')
    .option('--now', 'signal resources for immediate shutdown (same as --grace-period=1)', false)
    .option('--force', 'with --grace-period=0: remove immediately without waiting for the node to confirm', false)
    .option('--wait [bool]', 'wait until the resources are gone before returning', 'true')
    .option('--timeout <duration>', 'how long to wait for the deletion (0: forever)', '0')
    .addOption(dryRunOption())
    .action(async (args: string[], opts, cmd: Command) => {
      const ctx = await connect(cmd);
      const policy = CASCADE[String(opts.cascade).toLowerCase()];
      if (!policy) throw new CliError(`invalid cascade value (${opts.cascade}). Must be "background", "foreground", or "orphan".`);
      let grace = Number(opts.gracePeriod);
      if (opts.now) grace = 1;
      if (!Number.isInteger(grace)) throw new CliError(`--grace-period must be an integer, got "${opts.gracePeriod}"`);
      if (opts.force && grace < 0) grace = 0;
      const deleteOpts: DeleteOptions = { propagationPolicy: policy, dryRun: opts.dryRun === 'server' };
      if (grace >= 0) deleteOpts.gracePeriodSeconds = grace;

      const targets = await collectTargets(io, ctx, args, opts);
      if (targets.length === 0 && !(opts.selector || opts.all || opts.fieldSelector)) {
        throw new CliError('You must provide one or more resources by argument or filename.');
      }
      if (targets.length === 0) {
        io.out.write('No resources found\n');
        return;
      }
      let failed = 0;
      const pending: Deletion[] = [];
      for (const t of targets) {
        try {
          if (opts.dryRun !== 'client') {
            const result = await ctx.client.delete(t.r, t.namespace, t.name, deleteOpts);
            t.uid = (result as KubeObject | undefined)?.metadata?.uid ?? (result as any)?.details?.uid;
          }
          io.out.write(`${qualifiedSingular(t.r)} "${t.name}" deleted${dryRunSuffix(opts.dryRun)}\n`);
          pending.push(t);
        } catch (err) {
          if (err instanceof ApiError && err.reason === 'NotFound' && opts.ignoreNotFound) continue;
          if (!(err instanceof ApiError)) throw err;
          io.errOut.write(`Error from server (${err.reason}): ${err.message}\n`);
          failed++;
        }
      }
      const wait = opts.wait !== 'false' && opts.wait !== false && opts.dryRun === 'none';
      if (wait && pending.length) {
        const timeoutMs = parseDuration(opts.timeout);
        await Promise.all(pending.map((t) => waitForDeletion(ctx.client, t.r, t.namespace, t.name, t.uid, timeoutMs)));
      }
      if (failed) process.exitCode = 1;
    });
}

/** `30s`, `2m`, `1h`, or plain seconds; 0 waits forever. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(v).trim());
  if (!m) throw new CliError(`invalid duration "${v}": use e.g. 30s, 2m, 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

async function collectTargets(io: IOStreams, ctx: CliContext, args: string[], opts: any): Promise<Deletion[]> {
  const out: Deletion[] = [];
  if (opts.filename.length || opts.kustomize) {
    if (args.length) throw new CliError('when -f is given, resource arguments are not allowed');
    for (const m of await (await import('../kustomize/manifests.js')).manifestsOf(io, opts)) {
      if (m.error) throw new CliError(m.error);
      const t = await targetOf(m.obj!, ctx);
      if ('error' in t) throw new CliError(`${m.source}: ${t.error}`);
      out.push({ r: t.r, namespace: t.namespace, name: m.obj!.metadata.name! });
    }
    return out;
  }
  const selections = await parseResourceArgs(ctx.client, args);
  for (const sel of selections) {
    const ns = sel.r.namespaced ? (opts.allNamespaces ? undefined : ctx.namespace) : undefined;
    if (sel.names) {
      if (opts.all || opts.selector) throw new CliError('names cannot be provided when a selector or --all is specified');
      for (const name of sel.names) out.push({ r: sel.r, namespace: ns, name });
      continue;
    }
    if (!opts.all && !opts.selector && !opts.fieldSelector) {
      throw new CliError(`resource(s) were provided, but no name was specified`);
    }
    const list = await ctx.client.list(sel.r, ns, { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
    for (const item of list.items) out.push({ r: sel.r, namespace: item.metadata.namespace, name: item.metadata.name!, uid: item.metadata.uid });
  }
  return out;
}

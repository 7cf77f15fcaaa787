// kctl describe: fetches the object, its events and what its describer asks for (a Deployment's
// ReplicaSets, a Node's pods...), then prints kubectl's text.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { findByKind, resolveResource, type ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { parseResourceArgs } from '../resource-args.js';
import { describerFor } from '../describe/index.js';
import type { IOStreams } from '../io-streams.js';

const EVENTS = findByKind('Event')!;

async function describeOne(ctx: CliContext, r: ResourceType, obj: KubeObject, showEvents: boolean): Promise<string> {
  const describer = describerFor(r.kind);
  const related: Record<string, KubeObject[]> = {};
  for (const req of describer.related?.(obj) ?? []) {
    const rr = resolveResource(req.resource);
    if (!rr) continue;
    const list = await ctx.client.list(rr, rr.namespaced ? req.namespace : undefined, {
      labelSelector: req.labelSelector,
      fieldSelector: req.fieldSelector,
    });
    related[req.name] = list.items;
  }
  let events: KubeObject[] | undefined;
  if (showEvents) {
    const list = await ctx.client.list(EVENTS, obj.metadata.namespace ?? (r.namespaced ? ctx.namespace : 'default'), {
      fieldSelector: `involvedObject.uid=${obj.metadata.uid}`,
    });
    events = list.items;
  }
  return describer.describe(obj, { now: new Date(), events, related });
}

/** kubectl describe falls back to every object whose name starts with what was typed. */
async function findByPrefix(ctx: CliContext, r: ResourceType, ns: string | undefined, prefix: string): Promise<KubeObject[]> {
  const list = await ctx.client.list(r, ns);
  return list.items.filter((o) => o.metadata.name!.startsWith(prefix));
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('<resources...>', 'TYPE [NAME_PREFIX...] | TYPE/NAME...')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .option('-A, --all-namespaces', 'describe the matching objects of every namespace', false)
    .option('--show-events [bool]', 'show the events of each object', 'true')
    .action(async (args: string[], opts, cmd: Command) => {
      const ctx = await connect(cmd);
      const selections = await parseResourceArgs(ctx.client, args);
      const showEvents = opts.showEvents !== 'false' && opts.showEvents !== false;
      const outputs: string[] = [];
      let failed = 0;
      for (const sel of selections) {
        const ns = sel.r.namespaced && !opts.allNamespaces ? ctx.namespace : undefined;
        let objects: KubeObject[] = [];
        if (sel.names) {
          for (const name of sel.names) {
            try {
              objects.push(await ctx.client.get(sel.r, ns, name));
            } catch (err) {
              if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
              const matches = await findByPrefix(ctx, sel.r, ns, name);
              if (matches.length === 0) {
                io.errOut.write(`Error from server (NotFound): ${err.message}\n`);
                failed++;
              }
              objects.push(...matches);
            }
          }
        } else {
          objects = (await ctx.client.list(sel.r, ns, { labelSelector: opts.selector })).items;
        }
        for (const obj of objects) outputs.push(await describeOne(ctx, sel.r, obj, showEvents));
      }
      if (outputs.length === 0 && failed === 0) {
        const ns = selections.some((s) => s.r.namespaced) && !opts.allNamespaces ? ctx.namespace : undefined;
        throw new CliError(ns ? `No resources found in ${ns} namespace.` : 'No resources found');
      }
      // Each description ends its last line, as kubectl's do; kubectl puts "\n\n" between two.
      const text = outputs.join('\n\n');
      io.out.write(text && !text.endsWith('\n') ? `${text}\n` : text);
      ctx.client.close();
      if (failed) process.exitCode = 1;
    });
}

// The objects a command like label, annotate or taint acts on: `TYPE NAME...`, `TYPE/NAME...`, or
// `TYPE` with --all or -l, as kubectl's resource builder picks them.
import type { ResourceType } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { parseResourceArgs } from './resource-args.js';

export interface Selected {
  r: ResourceType;
  obj: KubeObject;
}

export interface SelectOptions {
  all?: boolean;
  selector?: string;
  allNamespaces?: boolean;
}

export async function selectObjects(ctx: CliContext, args: string[], o: SelectOptions): Promise<Selected[]> {
  if (o.all && o.selector) throw new CliError('cannot set --all and --selector at the same time');
  const out: Selected[] = [];
  for (const sel of await parseResourceArgs(ctx.client, args)) {
    const ns = sel.r.namespaced ? ctx.namespace : undefined;
    if (sel.names) {
      for (const name of sel.names) out.push({ r: sel.r, obj: await ctx.client.get(sel.r, ns, name) });
      continue;
    }
    if (!o.all && !o.selector) throw new CliError('resource(s) were provided, but no name was specified');
    const list = await ctx.client.list(sel.r, o.allNamespaces ? undefined : ns, { labelSelector: o.selector });
    for (const obj of list.items) out.push({ r: sel.r, obj });
  }
  return out;
}

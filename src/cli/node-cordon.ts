// Cordoning, shared by kctl cordon, uncordon and drain: spec.unschedulable set or cleared with a
// merge patch, reported as kubectl does (`node/node-1 cordoned`, `node/node-1 already cordoned`).
import type { Command } from 'commander';
import { findByKind } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { connect, type CliContext } from './context.js';
import { CliError } from './errors.js';
import type { IOStreams } from './io-streams.js';

const NODES = findByKind('Node')!;

/** Cordons (desired true) or uncordons the node, printing what happened. */
export async function setUnschedulable(io: IOStreams, ctx: CliContext, node: KubeObject, desired: boolean): Promise<void> {
  const verb = desired ? 'cordoned' : 'uncordoned';
  if (!!node.spec?.unschedulable === desired) {
    io.out.write(`node/${node.metadata.name} already ${verb}\n`);
    return;
  }
  await ctx.client.patch(NODES, undefined, node.metadata.name!, 'merge', { spec: { unschedulable: desired ? true : null } });
  io.out.write(`node/${node.metadata.name} ${verb}\n`);
}

/** kubectl's checks of the node arguments, before anything is asked of the server. */
export function checkNodeArgs(command: string, names: string[], selector: string | undefined): void {
  if (names.length && selector) throw new CliError('cannot specify both a node name and a --selector option');
  if (!names.length && !selector) throw new CliError(`USAGE: ${command} NODE [flags]\nSee 'kctl ${command} -h' for help and examples`);
}

/** The nodes named, or those matching -l. */
export async function selectNodes(ctx: CliContext, names: string[], selector: string | undefined): Promise<KubeObject[]> {
  if (selector) return (await ctx.client.list(NODES, undefined, { labelSelector: selector })).items;
  const out: KubeObject[] = [];
  for (const name of names) out.push(await ctx.client.get(NODES, undefined, name.replace(/^(nodes?|no)\//, '')));
  return out;
}

/** kctl cordon / kctl uncordon. */
export function registerCordonCommand(program: Command, io: IOStreams, name: 'cordon' | 'uncordon', description: string): void {
  program
    .command(name)
    .description(description)
    .argument('[nodes...]', 'NODE...')
    .option('-l, --selector <selector>', 'label selector of the nodes')
    .action(async (names: string[], opts, cmd: Command) => {
      checkNodeArgs(name, names, opts.selector);
      const ctx = await connect(cmd);
      for (const node of await selectNodes(ctx, names, opts.selector)) await setUnschedulable(io, ctx, node, name === 'cordon');
    });
}

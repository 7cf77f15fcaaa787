// kctl taint nodes NODE key=value:Effect | key:Effect- | key- ...: changes a node's taints as kubectl
// taint does. The write carries the node's resourceVersion, so a taint the node lifecycle
// controller adds meanwhile is never lost: on a conflict the node is read again and the change
// recomputed.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { resolveResource } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { selectObjects } from '../select-objects.js';
import { applyTaintChanges, parseTaintChanges, splitTaintArgs, type TaintChanges } from '../taint-spec.js';
import type { IOStreams } from '../io-streams.js';

const ATTEMPTS = 5;

async function taintNode(ctx: CliContext, node: KubeObject, changes: TaintChanges, overwrite: boolean): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const { taints, operation } = applyTaintChanges(node.metadata.name!, node.spec?.taints, changes, overwrite);
    try {
      await ctx.client.patch(resolveResource('nodes')!, undefined, node.metadata.name!, 'merge', {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { taints: taints.length ? taints : null },
      }, { fieldManager: 'kubectl-taint' });
      return operation;
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'Conflict') || attempt === ATTEMPTS) throw err;
      node = await ctx.client.get(resolveResource('nodes')!, undefined, node.metadata.name!);
    }
  }
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('taint')
    .description('Update the taints on one or more nodes')
    .argument('[args...]', 'nodes NODE KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N')
    .option('--overwrite', 'allow taints to be overwritten', false)
    .option('--all', 'select all nodes in the cluster', false)
    .option('-l, --selector <selector>', 'label selector of the nodes')
    .action(async (args: string[], opts, cmd: Command) => {
      const { resources, changes: specs } = splitTaintArgs(args);
      const changes = parseTaintChanges(specs);
      const type = resources[0].split('/')[0].toLowerCase();
      if (resolveResource(type)?.kind !== 'Node') throw new CliError(`invalid resource type ${type}, only node types are supported`);
      if (opts.all && opts.selector) throw new CliError("setting 'all' parameter with a non empty selector is prohibited");
      if (!opts.all && !opts.selector && resources.length < 2 && !resources[0].includes('/')) {
        throw new CliError("at least one resource name must be specified since 'all' parameter is not set");
      }
      const ctx = await connect(cmd);
      for (const { obj } of await selectObjects(ctx, resources, opts)) {
        io.out.write(`node/${obj.metadata.name} ${await taintNode(ctx, obj, changes, opts.overwrite)}\n`);
      }
    });
}

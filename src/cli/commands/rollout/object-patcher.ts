// What rollout pause, resume and restart share (kubectl's set.CalculatePatches with a
// polymorphic patcher): one strategic merge patch per object, or the reason it cannot have one,
// reported as kubectl does (`error: deployments.apps "web" is already paused`) after the others.
import type { Command } from 'commander';
import type { KubeObject } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { quotedName, resolveTargets } from '../../object-targets.js';
import { objectName } from '../../printers/name.js';
import type { IOStreams } from '../../io-streams.js';

/** The patch for an object, or the reason (as kubectl words it) there is none. */
export type Patcher = (obj: KubeObject) => { patch: unknown } | { error: string };

export function registerPatchCommand(rollout: Command, io: IOStreams, name: string, description: string, done: string, patcher: Patcher): void {
  rollout
    .command(name)
    .description(description)
    .argument('[args...]', 'TYPE NAME... | TYPE/NAME...')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .action(async (args: string[], opts, cmd: Command) => {
      const ctx = await connect(cmd);
      const errors: string[] = [];
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, args, { verb: `rollout ${name}`, selector: opts.selector });
        for (const t of targets) {
          const result = patcher(t.obj);
          if ('error' in result) {
            errors.push(`${quotedName(t)} ${result.error}`);
            continue;
          }
          const patched = await ctx.client.patch(t.r, t.obj.metadata.namespace, t.obj.metadata.name!, 'strategic', result.patch, { fieldManager: 'kubectl-rollout' });
          io.out.write(`${objectName({ ...patched, apiVersion: t.obj.apiVersion, kind: t.obj.kind })} ${done}\n`);
        }
      } finally {
        ctx.client.close();
      }
      if (errors.length) throw new CliError(errors.join('\nerror: '));
    });
}

// kctl rollout undo: rolls a Deployment (or StatefulSet or DaemonSet) back to its previous revision or --to-revision, as kubectl
// does it, client side (see rollbacker.ts): `deployment.apps/django rolled back`.
import type { Command } from 'commander';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { groupKind, resolveTargets } from '../../object-targets.js';
import { objectName } from '../../printers/name.js';
import { printTemplate } from './print-template.js';
import { replicaSetsOf } from './replica-sets.js';
import { planRollback, planRevisionRollback, revisionReplicaSet, type RollbackPlan } from './rollbacker.js';
import { controllerRevisionsOf, rollbackRevision } from './controller-revisions.js';
import type { IOStreams } from '../../io-streams.js';

export function register(rollout: Command, io: IOStreams): void {
  rollout
    .command('undo')
    .description('Undo a previous rollout')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('--to-revision <n>', 'the revision to roll back to (0: the last but one)', '0')
    .option('--dry-run [strategy]', 'none, client (print the template that would be restored) or server')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .action(async (args: string[], opts, cmd: Command) => {
      const toRevision = Number(opts.toRevision);
      if (!Number.isInteger(toRevision)) throw new CliError(`invalid argument "${opts.toRevision}" for "--to-revision" flag`);
      const dryRun = opts.dryRun === true ? 'client' : (opts.dryRun ?? 'none');
      if (!['none', 'client', 'server'].includes(dryRun)) throw new CliError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
      const ctx = await connect(cmd);
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'rollout undo', selector: opts.selector });
        for (const t of targets) {
          let plan: RollbackPlan;
          if (t.r.kind === 'Deployment') {
            const rs = revisionReplicaSet(t.obj, await replicaSetsOf(ctx.client, t.obj), toRevision);
            plan = dryRun === 'client' ? { kind: 'patch', template: rs.spec?.template ?? {}, patchType: 'json', patch: [] } : planRollback(t.obj, rs, toRevision);
          } else if (t.r.kind === 'StatefulSet' || t.r.kind === 'DaemonSet') {
            plan = planRevisionRollback(t.obj, rollbackRevision(await controllerRevisionsOf(ctx.client, t.obj), toRevision));
          } else {
            throw new CliError(`no rollbacker has been implemented for "${groupKind(t.r)}"`);
          }
          if (dryRun === 'client' && plan.kind === 'patch') {
            // kubectl prints the template as the operation, followed by its dry-run marker.
            io.out.write(`${objectName(t.obj)} ${printTemplate(plan.template)} (dry run)\n`);
            continue;
          }
          if (plan.kind === 'skip') {
            io.out.write(`${objectName(t.obj)} skipped rollback (current template already matches revision ${plan.revision})\n`);
            continue;
          }
          try {
            await ctx.client.patch(t.r, t.obj.metadata.namespace, t.obj.metadata.name!, plan.patchType, plan.patch, { dryRun: dryRun === 'server', fieldManager: 'kubectl-rollout' });
          } catch (err) {
            throw new CliError(`failed restoring revision ${toRevision}: ${(err as Error).message}`);
          }
          io.out.write(`${objectName(t.obj)} rolled back${dryRun === 'server' ? ' (server dry run)' : ''}\n`);
        }
      } finally {
        ctx.client.close();
      }
    });
}

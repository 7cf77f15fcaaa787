// kctl rollout history: a Deployment's revisions with their change-cause (from the ReplicaSets'
// kubernetes.io/change-cause), or one revision's pod template with --revision, as kubectl prints them.
import type { Command } from 'commander';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../../../api/deployment-revisions.js';
import type { KubeObject } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { groupKind, resolveTargets } from '../../object-targets.js';
import { objectName } from '../../printers/name.js';
import { tabbed } from '../../describe/writer.js';
import { printTemplate } from './print-template.js';
import { replicaSetsOf } from './replica-sets.js';

export function register(rollout: Command): void {
  rollout
    .command('history')
    .description('View rollout history')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME')
    .option('--revision <n>', 'see the details, including the pod template, of this revision', '0')
    .option('-l, --selector <selector>', 'label selector to filter on')
    .action(async (args: string[], opts, cmd: Command) => {
      const revision = Number(opts.revision);
      if (!Number.isInteger(revision) || revision < 0) throw new CliError(`revision must be a positive integer: ${opts.revision}`);
      const ctx = await connect(cmd);
      try {
        const targets = await resolveTargets(ctx.client, ctx.namespace, args, { verb: 'rollout history', selector: opts.selector });
        for (const t of targets) {
          if (t.r.kind !== 'Deployment') throw new CliError(`no history viewer has been implemented for "${groupKind(t.r)}"`);
          const history = viewHistory(await replicaSetsOf(ctx.client, t.obj), revision);
          const header = revision > 0 ? `with revision #${revision}` : '';
          process.stdout.write(`${objectName(t.obj)} ${header}\n${history}\n`);
        }
      } finally {
        ctx.client.close();
      }
    });
}

/** The REVISION / CHANGE-CAUSE table, or one revision's template. */
export function viewHistory(replicaSets: readonly KubeObject[], revision: number): string {
  const byRevision = new Map<number, KubeObject>();
  for (const rs of replicaSets) {
    const r = revisionOf(rs);
    if (r !== undefined) byRevision.set(r, rs);
  }
  if (byRevision.size === 0) return 'No rollout history found.';
  // The change-cause is the ReplicaSet's, shown on its template.
  const templateOf = (rs: KubeObject) => {
    const template = structuredClone(rs.spec?.template ?? {});
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: cause } };
    return template;
  };
  if (revision > 0) {
    const rs = byRevision.get(revision);
    if (!rs) throw new CliError('unable to find the specified revision');
    return printTemplate(templateOf(rs));
  }
  const revisions = [...byRevision.keys()].sort((a, b) => a - b);
  return tabbed((w) => {
    w.write(0, 'REVISION\tCHANGE-CAUSE\n');
    for (const r of revisions) w.write(0, `${r}\t${templateOf(byRevision.get(r)!).metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>'}\n`);
  });
}

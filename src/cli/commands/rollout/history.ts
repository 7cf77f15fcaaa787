// kctl rollout history: a Deployment's revisions with their change-cause (from the ReplicaSets'
// kubernetes.io/change-cause) or a DaemonSet's or StatefulSet's (from its ControllerRevisions), or one revision's
// pod template with --revision, as kubectl prints them.
import type { Command } from 'commander';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../../../api/deployment-revisions.js';
import type { KubeObject } from '../../../api/types.js';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { groupKind, resolveTargets } from '../../object-targets.js';
import { objectName } from '../../printers/name.js';
import { tabbed } from '../../describe/writer.js';
import { printTemplate } from './print-template.js';
import { replicaSetsOf } from './replica-sets.js';
import { controllerRevisionsOf } from './controller-revisions.js';
import type { IOStreams } from '../../io-streams.js';

export function register(rollout: Command, io: IOStreams): void {
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
          let entries: HistoryEntry[];
          if (t.r.kind === 'Deployment') entries = replicaSetHistory(await replicaSetsOf(ctx.client, t.obj));
          else if (t.r.kind === 'DaemonSet' || t.r.kind === 'StatefulSet') entries = controllerRevisionHistory(await controllerRevisionsOf(ctx.client, t.obj));
          else throw new CliError(`no history viewer has been implemented for "${groupKind(t.r)}"`);
          const history = viewEntries(entries, revision);
          const header = revision > 0 ? `with revision #${revision}` : '';
          io.out.write(`${objectName(t.obj)} ${header}\n${history}\n`);
        }
      } finally {
        ctx.client.close();
      }
    });
}

export interface HistoryEntry {
  revision: number;
  template: PodTemplateSpec;
  changeCause?: string;
}

function replicaSetHistory(replicaSets: readonly KubeObject[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    // The change-cause is the ReplicaSet's, shown on its template.
    const template = structuredClone(rs.spec?.template ?? {});
    const changeCause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (changeCause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE_ANNOTATION]: changeCause } };
    entries.push({ revision, template, changeCause });
  }
  return entries;
}

export function controllerRevisionHistory(revisions: readonly KubeObject[]): HistoryEntry[] {
  return revisions.map((r) => {
    const template = structuredClone(r.data?.spec?.template ?? {});
    delete template.$patch;
    return { revision: Number(r.revision) || 0, template, changeCause: r.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] };
  });
}

/** The REVISION / CHANGE-CAUSE table, or one revision's template. */
export function viewHistory(replicaSets: readonly KubeObject[], revision: number): string {
  return viewEntries(replicaSetHistory(replicaSets), revision);
}

export function viewEntries(entries: readonly HistoryEntry[], revision: number): string {
  const byRevision = new Map<number, HistoryEntry>();
  for (const e of entries) byRevision.set(e.revision, e);
  if (byRevision.size === 0) return 'No rollout history found.';
  if (revision > 0) {
    const entry = byRevision.get(revision);
    if (!entry) throw new CliError('unable to find the specified revision');
    return printTemplate(entry.template);
  }
  const revisions = [...byRevision.keys()].sort((a, b) => a - b);
  return tabbed((w) => {
    w.write(0, 'REVISION\tCHANGE-CAUSE\n');
    for (const r of revisions) w.write(0, `${r}\t${byRevision.get(r)!.changeCause || '<none>'}\n`);
  });
}

// kctl replace -f FILE [--force] [--save-config]: puts each manifest's object in place of the
// stored one (its resourceVersion taken from the server when the manifest has none, as kubectl's
// overwrite does); --force deletes the object, waits until it is gone and creates it again.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { qualifiedSingular } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { LAST_APPLIED_ANNOTATION } from '../../api/deployment-revisions.js';
import { withSaveConfig } from '../create-generated.js';
import { CliError } from '../errors.js';
import { readManifests, type Manifest } from '../manifest/read-manifests.js';
import { addFilenameOptions, dryRunOption, dryRunSuffix, forEachManifest, type DryRun } from '../manifest/report.js';
import { targetOf } from '../manifest/target.js';
import { waitForDeletion } from '../wait-for-deletion.js';
import type { IOStreams } from '../io-streams.js';

/** kubectl keeps an existing last-applied annotation in step with what it writes; --save-config adds one. */
export function replacementOf(obj: KubeObject, saveConfig: boolean): KubeObject {
  return saveConfig || obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined ? withSaveConfig(obj) : obj;
}

async function replaceOne(ctx: CliContext, m: Manifest, opts: { force: boolean; saveConfig: boolean; timeout: number }, dryRun: DryRun): Promise<string> {
  const target = await targetOf(m.obj!, ctx);
  if ('error' in target) throw new CliError(`${m.source}: ${target.error}`);
  const { r, namespace } = target;
  const obj = replacementOf(structuredClone(m.obj!), opts.saveConfig);
  const name = obj.metadata.name;
  if (!name) throw new CliError(`${m.source}: resource name may not be empty`);
  if (r.namespaced) obj.metadata.namespace = namespace;
  const label = `${qualifiedSingular(r)}/${name}`;
  if (opts.force) {
    let deleted = '';
    try {
      const current = await ctx.client.get(r, namespace, name);
      if (dryRun !== 'client') await ctx.client.delete(r, namespace, name, { dryRun: dryRun === 'server' });
      if (dryRun === 'none') await waitForDeletion(ctx.client, r, namespace, name, current.metadata.uid, opts.timeout);
      deleted = `${qualifiedSingular(r)} "${name}" deleted${dryRunSuffix(dryRun)}\n`;
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
    delete obj.metadata.resourceVersion;
    delete obj.metadata.uid;
    if (dryRun !== 'client') await ctx.client.create(r, namespace, obj, { dryRun: dryRun === 'server', fieldManager: 'kubectl-replace' });
    return `${deleted}${label} replaced${dryRunSuffix(dryRun)}`;
  }
  const current = await ctx.client.get(r, namespace, name);
  obj.metadata.resourceVersion ||= current.metadata.resourceVersion;
  if (dryRun !== 'client') await ctx.client.update(r, namespace, obj, { dryRun: dryRun === 'server', fieldManager: 'kubectl-replace' });
  return `${label} replaced${dryRunSuffix(dryRun)}`;
}

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(program.command('replace').description('Replace a resource by file name or stdin'), 'to replace')
    .addOption(dryRunOption())
    .option('--force', 'delete the object and create it again', false)
    .option('--save-config', 'save the configuration in the last-applied annotation', false)
    .option('--timeout <duration>', 'how long --force waits for the deletion, in seconds (0: forever)', (v) => Number.parseFloat(v) * 1000, 0)
    .action(async (opts, cmd: Command) => {
      const manifests = await readManifests(io, opts.filename, opts.recursive);
      const ctx = await connect(cmd);
      try {
        await forEachManifest(io, manifests, 'replacing', (m) => replaceOne(ctx, m, opts, opts.dryRun));
      } finally {
        ctx.client.close();
      }
    });
}

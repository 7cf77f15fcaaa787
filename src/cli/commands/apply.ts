// kctl apply -f: creates what is missing and patches what exists with kubectl's client-side
// three-way merge (last applied, manifest, live object), so fields other writers own are kept;
// with --server-side, sends the manifest as a server-side apply and lets the server merge it.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { qualifiedSingular } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { requireObjects, type Manifest } from '../manifest/read-manifests.js';
import { targetOf } from '../manifest/target.js';
import { addFilenameOptions, dryRunOption, dryRunSuffix, forEachManifest, type DryRun } from '../manifest/report.js';
import { createThreeWayMergePatch } from '../../api/patch/three-way-merge.js';
import { clientPatchFor } from '../../api/patch/client-patch.js';
import { upgradeManagedFields } from '../../api/managed-fields/csa-upgrade.js';
import type { ManagedFieldsEntry } from '../../api/managed-fields/managed-fields.js';
import type { IOStreams } from '../io-streams.js';

/** kubectl's default managers: client-side apply's, and server-side apply's. */
const CLIENT_SIDE_MANAGER = 'kubectl-client-side-apply';
const SERVER_SIDE_MANAGER = 'kubectl';

interface ApplyFlags {
  dryRun: DryRun;
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
}

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The annotation kubectl keeps: the manifest as applied, without the annotation itself. */
function withLastApplied(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = structuredClone(copy);
  if (Object.keys(annotations).length) bare.metadata.annotations = annotations;
  else delete bare.metadata.annotations;
  copy.metadata.annotations = { ...annotations, [LAST_APPLIED]: `${JSON.stringify(bare)}\n` };
  return copy;
}

async function applyOne(io: IOStreams, ctx: CliContext, m: Manifest, flags: ApplyFlags): Promise<string> {
  if (flags.serverSide) return applyServerSide(ctx, m, flags);
  const { dryRun } = flags;
  const fieldManager = flags.fieldManager ?? CLIENT_SIDE_MANAGER;
  const target = await targetOf(m.obj!, ctx);
  if ('error' in target) throw new CliError(`${m.source}: ${target.error}`);
  const { r, namespace } = target;
  const obj = m.obj!;
  const name = obj.metadata.name;
  if (!name) throw new CliError(`${m.source}: error when retrieving current configuration: resource name may not be empty`);
  const modified = withLastApplied(obj);
  if (r.namespaced) modified.metadata.namespace = namespace;
  const label = `${qualifiedSingular(r)}/${name}`;
  let current: KubeObject | undefined;
  try {
    current = await ctx.client.get(r, namespace, name);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
  }
  if (!current) {
    if (dryRun !== 'client') await ctx.client.create(r, namespace, modified, { dryRun: dryRun === 'server', fieldManager });
    return `${label} created${dryRunSuffix(dryRun)}`;
  }
  const lastText = current.metadata.annotations?.[LAST_APPLIED];
  if (!lastText) {
    io.errOut.write(
      `Warning: resource ${r.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kctl apply. ` +
        'It will be patched automatically; fields set by "create" and not in the manifest are kept.\n',
    );
  }
  const last = lastText ? (JSON.parse(lastText) as KubeObject) : undefined;
  const how = clientPatchFor(r);
  const patch = createThreeWayMergePatch(last, modified, current, how.kind);
  if (Object.keys(patch).length === 0) return `${label} unchanged`;
  if (dryRun !== 'client') {
    const patched = await ctx.client.patch(r, namespace, name, how.type, patch, { dryRun: dryRun === 'server', fieldManager });
    // kubectl says "configured" whenever the patch is not empty; a write-only field such as a
    // Secret's stringData makes that every time. The server keeps the revision of a no-op write,
    // so kctl can say what really happened.
    if (dryRun === 'none' && patched.metadata.resourceVersion === current.metadata.resourceVersion) return `${label} unchanged`;
  }
  return `${label} configured${dryRunSuffix(dryRun)}`;
}

/** A field-ownership conflict, with the ways out kubectl prints after it. */
function explainConflict(err: unknown): never {
  if (!(err instanceof ApiError && err.reason === 'Conflict' && err.details?.causes?.some((c) => c.reason === 'FieldManagerConflict'))) throw err;
  throw new CliError(`${err.message}
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`);
}

/**
 * `apply --server-side`: the manifest as the manager's applied configuration. An object last
 * applied client-side then has its client-side manager's fields moved to the server-side one and
 * is applied again, as kubectl does, so fields later dropped from the manifest are removed.
 */
async function applyServerSide(ctx: CliContext, m: Manifest, flags: ApplyFlags): Promise<string> {
  const target = await targetOf(m.obj!, ctx);
  if ('error' in target) throw new CliError(`${m.source}: ${target.error}`);
  const { r, namespace } = target;
  const obj = structuredClone(m.obj!);
  const name = obj.metadata.name;
  if (!name) throw new CliError(`${m.source}: error when retrieving current configuration: resource name may not be empty`);
  if (r.namespaced) obj.metadata.namespace = namespace;
  const opts = { fieldManager: flags.fieldManager ?? SERVER_SIDE_MANAGER, force: !!flags.forceConflicts, dryRun: flags.dryRun === 'server' };
  let live = await ctx.client.patch(r, namespace, name, 'apply', obj, opts).catch(explainConflict);
  if (opts.dryRun) return `${qualifiedSingular(r)}/${name} serverside-applied${dryRunSuffix(flags.dryRun)}`;
  // The resourceVersion sent along makes the move fail, not clobber, if a controller wrote in between: then again on what is there now.
  for (let attempt = 0; attempt < 5; attempt++) {
    const upgraded = upgradeManagedFields(live.metadata.managedFields as ManagedFieldsEntry[] | undefined, [CLIENT_SIDE_MANAGER], opts.fieldManager);
    if (!upgraded) break;
    const migration = [
      { op: 'replace', path: '/metadata/managedFields', value: upgraded },
      { op: 'replace', path: '/metadata/resourceVersion', value: live.metadata.resourceVersion },
    ];
    try {
      await ctx.client.patch(r, namespace, name, 'json', migration, { fieldManager: opts.fieldManager });
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'Conflict')) throw err;
      live = await ctx.client.get(r, namespace, name);
      continue;
    }
    // Applied again now that the manager owns what it applied client-side: dropped fields go.
    await ctx.client.patch(r, namespace, name, 'apply', obj, opts).catch(explainConflict);
    break;
  }
  return `${qualifiedSingular(r)}/${name} serverside-applied${dryRunSuffix(flags.dryRun)}`;
}

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(program.command('apply').description('Apply a configuration to resources from files, directories or stdin: create what is missing, update what exists'), 'to apply')
    .option('-k, --kustomize <dir>', 'apply the objects the kustomization in this directory builds')
    .addOption(dryRunOption())
    .option('--validate <mode>', 'accepted for kubectl compatibility: the server always validates strictly', 'strict')
    .option('--server-side', 'merge on the server (server-side apply) instead of in the client')
    .option('--force-conflicts', 'with --server-side: take the fields other managers own instead of failing on conflicts')
    .option('--field-manager <name>', 'the manager recorded for the fields applied (default kubectl-client-side-apply, or kubectl with --server-side)')
    .action(async (opts, cmd: Command) => {
      if (opts.forceConflicts && !opts.serverSide) throw new CliError('--force-conflicts only works with --server-side');
      if (opts.serverSide && opts.dryRun === 'client') throw new CliError('--dry-run=client doesn\'t work with --server-side (did you mean --dry-run=server instead?)');
      const manifests = requireObjects(await (await import('../kustomize/manifests.js')).manifestsOf(io, opts), 'apply');
      const ctx = await connect(cmd);
      await forEachManifest(io, manifests, 'applying', (m) => applyOne(io, ctx, m, opts));
    });
}

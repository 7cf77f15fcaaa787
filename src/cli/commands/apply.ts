// kctl apply -f: creates what is missing and patches what exists with kubectl's client-side
// three-way merge (last applied, manifest, live object), so fields other writers own are kept.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { qualifiedSingular } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, type CliContext } from '../context.js';
import { CliError } from '../errors.js';
import { readManifests, type Manifest } from '../manifest/read-manifests.js';
import { targetOf } from '../manifest/target.js';
import { addFilenameOptions, dryRunOption, dryRunSuffix, forEachManifest, type DryRun } from '../manifest/report.js';
import { createThreeWayMergePatch } from '../../api/patch/three-way-merge.js';

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

async function applyOne(ctx: CliContext, m: Manifest, dryRun: DryRun): Promise<string> {
  const target = targetOf(m.obj!, ctx);
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
    if (dryRun !== 'client') await ctx.client.create(r, namespace, modified, { dryRun: dryRun === 'server' });
    return `${label} created${dryRunSuffix(dryRun)}`;
  }
  const lastText = current.metadata.annotations?.[LAST_APPLIED];
  if (!lastText) {
    process.stderr.write(
      `Warning: resource ${r.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kctl apply. ` +
        'It will be patched automatically; fields set by "create" and not in the manifest are kept.\n',
    );
  }
  const last = lastText ? (JSON.parse(lastText) as KubeObject) : undefined;
  const patch = createThreeWayMergePatch(last, modified, current, r.kind);
  if (Object.keys(patch).length === 0) return `${label} unchanged`;
  if (dryRun !== 'client') {
    const patched = await ctx.client.patch(r, namespace, name, 'strategic', patch, { dryRun: dryRun === 'server' });
    // kubectl says "configured" whenever the patch is not empty; a write-only field such as a
    // Secret's stringData makes that every time. The server keeps the revision of a no-op write,
    // so kctl can say what really happened.
    if (dryRun === 'none' && patched.metadata.resourceVersion === current.metadata.resourceVersion) return `${label} unchanged`;
  }
  return `${label} configured${dryRunSuffix(dryRun)}`;
}

export function register(program: Command): void {
  addFilenameOptions(program.command('apply').description('Apply a configuration to resources from files, directories or stdin: create what is missing, update what exists'), 'to apply')
    .option('-k, --kustomize <dir>', 'apply the objects the kustomization in this directory builds')
    .addOption(dryRunOption())
    .option('--validate <mode>', 'accepted for kubectl compatibility: the server always validates strictly', 'strict')
    .action(async (opts, cmd: Command) => {
      if (opts.kustomize && opts.filename.length) throw new CliError('only one of -f or -k can be specified');
      const manifests = opts.kustomize ? (await import('../kustomize/manifests.js')).kustomizeManifests(opts.kustomize) : readManifests(opts.filename, opts.recursive);
      const ctx = await connect(cmd);
      await forEachManifest(manifests, 'applying', (m) => applyOne(ctx, m, opts.dryRun));
    });
}

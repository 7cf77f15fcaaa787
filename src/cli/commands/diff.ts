// kctl diff -f FILE: what `kctl apply -f FILE` would change. Each object as it is (LIVE) and as the
// server would make it (MERGED: a server-side dry run of the create or of apply's three-way patch)
// is written under temporary LIVE-* and MERGED-* directories, and `diff -u -N` (or
// KUBECTL_EXTERNAL_DIFF) compares them. Exit 0: no differences, 1: differences, >1: an error.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { createThreeWayMergePatch } from '../../api/patch/three-way-merge.js';
import { clientPatchFor } from '../../api/patch/client-patch.js';
import type { KubeObject } from '../../api/types.js';
import { LAST_APPLIED_ANNOTATION } from '../../api/deployment-revisions.js';
import { connect, type CliContext } from '../context.js';
import { diffCommand, diffFileName, maskSecrets } from '../diff-objects.js';
import { CliError } from '../errors.js';
import { readManifests, type Manifest } from '../manifest/read-manifests.js';
import { addFilenameOptions } from '../manifest/report.js';
import { targetOf } from '../manifest/target.js';
import { toYaml } from '../../api/printers/yaml-json.js';
import type { IOStreams } from '../io-streams.js';

/** kubectl diff's failures exit 2, keeping 1 for "there are differences". */
const DIFF_ERROR_EXIT = 2;

async function liveAndMerged(ctx: CliContext, m: Manifest): Promise<{ file: string; live?: KubeObject; merged: KubeObject }> {
  const target = await targetOf(m.obj!, ctx);
  if ('error' in target) throw new CliError(`${m.source}: ${target.error}`, DIFF_ERROR_EXIT);
  const { r, namespace } = target;
  // As kubectl diff: the manifest as apply would send it, but without the annotation apply adds.
  const modified = structuredClone(m.obj!);
  delete modified.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (r.namespaced) modified.metadata.namespace = namespace;
  const name = modified.metadata.name!;
  let live: KubeObject | undefined;
  try {
    live = await ctx.client.get(r, namespace, name);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
  }
  let merged: KubeObject;
  if (!live) merged = await ctx.client.create(r, namespace, modified, { dryRun: true });
  else {
    const lastText = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    const how = clientPatchFor(r);
    const patch = createThreeWayMergePatch(lastText ? JSON.parse(lastText) : undefined, modified, live, how.kind);
    merged = Object.keys(patch).length ? await ctx.client.patch(r, namespace, name, how.type, patch, { dryRun: true }) : live;
  }
  return { file: diffFileName(m.obj!.apiVersion!, m.obj!.kind!, r.namespaced ? namespace : undefined, name), live, merged };
}

function runDiff(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(new CliError(err.code === 'ENOENT' ? `failed to run "${argv[0]}": executable file not found in $PATH` : err.message, DIFF_ERROR_EXIT)),
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? DIFF_ERROR_EXIT : 0)));
  });
}

export function register(program: Command, io: IOStreams): void {
  addFilenameOptions(program.command('diff').description('Diff the live version against what apply would make of it'), 'to diff').action(async (opts, cmd: Command) => {
    try {
      await diff(io, opts, cmd);
    } catch (err) {
      if (err instanceof ApiError) throw new CliError(`Error from server (${err.reason}): ${err.message}`, DIFF_ERROR_EXIT, true);
      if (err instanceof CliError) throw new CliError(err.message, DIFF_ERROR_EXIT, err.bare);
      throw err;
    }
  });
}

async function diff(io: IOStreams, opts: { filename: string[]; recursive: boolean }, cmd: Command): Promise<void> {
  const manifests = await readManifests(io, opts.filename, opts.recursive);
  const bad = manifests.find((m) => m.error);
  if (bad) throw new CliError(bad.error!, DIFF_ERROR_EXIT);
  const ctx = await connect(cmd);
  const from = mkdtempSync(join(tmpdir(), 'LIVE-'));
  const to = mkdtempSync(join(tmpdir(), 'MERGED-'));
  try {
    for (const m of manifests) {
      const pair = await liveAndMerged(ctx, m);
      const [live, merged] = maskSecrets(pair.live, pair.merged);
      if (live) writeFileSync(join(from, pair.file), toYaml(live));
      writeFileSync(join(to, pair.file), toYaml(merged!));
    }
    ctx.client.close();
    process.exitCode = await runDiff(diffCommand(from, to));
  } finally {
    ctx.client.close();
    rmSync(from, { recursive: true, force: true });
    rmSync(to, { recursive: true, force: true });
  }
}

// The tail every `kctl create <kind>` generator shares with kubectl: the object is built (with the
// namespace only when -n was given), sent unless --dry-run=client, and printed; a server error is
// kubectl's `failed to create <what>: ...`, or kubectl's `Error from server` when what is undefined
// (kubectl run).
import type { Command } from 'commander';
import { ApiError } from '../api/errors.js';
import type { ResourceType } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { connect } from './context.js';
import { CliError } from './errors.js';
import { dryRunOf } from './manifest/report.js';
import { objectOutput, printResult } from './printers/operation-result.js';

export async function createGenerated(
  cmd: Command,
  r: ResourceType,
  opts: { output?: string },
  what: string | undefined,
  build: (namespace: string | undefined) => KubeObject,
): Promise<void> {
  const format = objectOutput(opts.output);
  const dryRun = dryRunOf(cmd);
  const ctx = await connect(cmd);
  let obj = build(ctx.namespaceExplicit ? ctx.namespace : undefined);
  try {
    if (dryRun !== 'client') obj = await ctx.client.create(r, ctx.namespace, obj, { dryRun: dryRun === 'server' });
  } catch (err) {
    if (err instanceof ApiError && what !== undefined) throw new CliError(`failed to create ${what}: ${err.message}`);
    throw err;
  } finally {
    ctx.client.close();
  }
  await printResult(obj, 'created', format, dryRun);
}

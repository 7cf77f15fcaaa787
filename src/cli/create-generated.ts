// The tail every `kctl create <kind>` generator shares with kubectl: the object is built (with the
// namespace only when -n was given), annotated with its own JSON under --save-config, sent unless
// --dry-run=client, and printed; a server error is kubectl's `failed to create <what>: ...`, or
// kubectl's `Error from server` when what is undefined (kubectl run, create role).
import { Option, type Command } from 'commander';
import { ApiError } from '../api/errors.js';
import type { HttpClient } from '../api/http-client.js';
import { LAST_APPLIED_ANNOTATION as LAST_APPLIED } from '../api/deployment-revisions.js';
import type { ResourceType } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { connect } from './context.js';
import { CliError } from './errors.js';
import { dryRunOf } from './manifest/report.js';
import { objectOutput, printResult } from './printers/operation-result.js';
import { marshalJson } from '../api/printers/yaml-json.js';
import type { IOStreams } from './io-streams.js';

export interface GeneratedOptions {
  output?: string;
  saveConfig?: boolean;
  fieldManager?: string;
}

/** The flags kubectl's typed generators share: --save-config and --field-manager. */
export function addGeneratorOptions(cmd: Command): Command {
  return cmd
    .option('--save-config', 'save the configuration of the object in its annotation, so later kctl apply uses it', false)
    .addOption(new Option('--field-manager <name>', 'name of the manager used to track field ownership').default('kubectl-create'));
}

/**
 * kubectl's CreateOrUpdateAnnotation: the object's JSON (fields in the order it was built, without
 * the annotation itself) under kubectl.kubernetes.io/last-applied-configuration.
 */
export function withSaveConfig(obj: KubeObject): KubeObject {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...obj, metadata: { ...obj.metadata } };
  if (Object.keys(annotations).length) bare.metadata.annotations = annotations;
  else delete bare.metadata.annotations;
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: `${marshalJson(bare, '', false)}\n` } } };
}

export async function createGenerated(
  io: IOStreams,
  cmd: Command,
  r: ResourceType,
  opts: GeneratedOptions,
  what: string | undefined,
  /** Given the client too, for what it must ask the server first (the resources a role names). */
  build: (namespace: string | undefined, client: HttpClient) => KubeObject | Promise<KubeObject>,
  /** A typed object: -o json keeps the order it was built in, as kubectl prints its structs. */
  typed = false,
): Promise<void> {
  const format = objectOutput(opts.output);
  const dryRun = dryRunOf(cmd);
  const ctx = await connect(cmd);
  let obj = await build(ctx.namespaceExplicit ? ctx.namespace : undefined, ctx.client);
  if (opts.saveConfig) obj = withSaveConfig(obj);
  try {
    if (dryRun !== 'client') obj = await ctx.client.create(r, ctx.namespace, obj, { dryRun: dryRun === 'server', fieldManager: opts.fieldManager });
  } catch (err) {
    if (err instanceof ApiError && what !== undefined) throw new CliError(`failed to create ${what}: ${err.message}`);
    throw err;
  } finally {
    ctx.client.close();
  }
  await printResult(io, obj, 'created', format, dryRun, typed && dryRun === 'client');
}

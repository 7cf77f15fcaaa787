// kctl create token SA: asks the API server for a service account token (serviceaccounts/token,
// a TokenRequest) and prints it, as `kubectl create token` does.
import type { Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { parseOutputFormat } from '../printers/output-format.js';
import type { IOStreams } from '../io-streams.js';

/** The kinds a token may be bound to, with their apiVersion. */
const BOUND_KINDS: Record<string, string> = { Pod: 'v1', Secret: 'v1' };

interface TokenOptions {
  audience: string[];
  duration?: string;
  boundObjectKind?: string;
  boundObjectName?: string;
  boundObjectUid?: string;
  output?: string;
}

/** The TokenRequest the flags ask for, or kubectl's message for flags that do not go together. */
export function tokenRequest(opts: TokenOptions): KubeObject {
  let seconds = 0;
  if (opts.duration !== undefined) {
    const ms = parseDurationFlag('duration', opts.duration);
    if (ms < 0) throw new CliError('--duration must be greater than or equal to 0');
    if (ms % 1000 !== 0) throw new CliError('--duration cannot be expressed in units less than seconds');
    seconds = ms / 1000;
  }
  if (opts.audience.some((a) => a === '')) throw new CliError('--audience must not be an empty string');
  const spec: Record<string, unknown> = {};
  if (opts.audience.length) spec.audiences = opts.audience;
  if (seconds > 0) spec.expirationSeconds = seconds;
  if (!opts.boundObjectKind) {
    if (opts.boundObjectName) throw new CliError('--bound-object-name can only be set if --bound-object-kind is provided');
    if (opts.boundObjectUid) throw new CliError('--bound-object-uid can only be set if --bound-object-kind is provided');
  } else {
    const apiVersion = BOUND_KINDS[opts.boundObjectKind];
    if (!apiVersion) throw new CliError(`supported --bound-object-kind values are ${Object.keys(BOUND_KINDS).sort().join(', ')}`);
    if (!opts.boundObjectName) throw new CliError('--bound-object-name is required if --bound-object-kind is provided');
    spec.boundObjectRef = { kind: opts.boundObjectKind, apiVersion, name: opts.boundObjectName, uid: opts.boundObjectUid ?? '' };
  }
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec };
}

export function register(create: Command, io: IOStreams): void {
  create
    .command('token')
    .description('Request a service account token')
    .argument('<serviceaccount>', 'the service account to request a token for')
    .option('--audience <audience>', 'audience of the requested token (repeatable); default: the Kubernetes API server', (v: string, all: string[]) => [...all, v], [])
    .option('--duration <duration>', 'requested lifetime of the token, e.g. 10m; 0 or unset: the server decides (1h)')
    .option('--bound-object-kind <kind>', 'kind of an object to bind the token to (Pod, Secret); the token dies with it')
    .option('--bound-object-name <name>', 'name of the object to bind the token to; requires --bound-object-kind')
    .option('--bound-object-uid <uid>', 'UID of the object to bind the token to; default: its current UID')
    .option('-o, --output <format>', 'output format: json|yaml (default: just the token)')
    .action(async (name: string, opts: TokenOptions, cmd: Command) => {
      const body = tokenRequest(opts);
      const format = opts.output ? parseOutputFormat(opts.output) : undefined;
      const ctx = await connect(cmd);
      let response: KubeObject;
      try {
        response = await ctx.client.createSubresource(findByKind('ServiceAccount')!, ctx.namespace, name, 'token', body);
      } catch (err) {
        if (err instanceof ApiError) throw new CliError(`failed to create token: ${err.message}`);
        throw err;
      }
      const token: string | undefined = response.status?.token;
      if (!token) throw new CliError('failed to create token: no token in server response');
      if (format && format.type !== 'table') {
        const { printObjects } = await import('../printers/index.js');
        io.out.write(printObjects([response], format, { singleObject: true }));
        return;
      }
      // kubectl adds a newline only for a terminal, so `$(kctl create token x)` and pipes get the bare token.
      io.out.write(io.out.isTTY ? `${token}\n` : token);
    });
}

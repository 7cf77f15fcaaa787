// kctl explain RESOURCE[.FIELD...] [--recursive] [--api-version=G/V]: a kind's or field's
// documentation from the server's OpenAPI v3 document, printed as kubectl 1.32 prints it.
import type { Command } from 'commander';
import { resolveResource, servedResources, type ResourceType } from '../../api/resources.js';
import { connect } from '../context.js';
import { learnServedResources } from '../discovery.js';
import { CliError } from '../errors.js';
import { ExplainError, explain } from '../explain/openapi-explain.js';
import type { IOStreams } from '../io-streams.js';

function matches(r: ResourceType, name: string): boolean {
  const n = name.toLowerCase();
  return r.plural === n || r.singular === n || r.kind.toLowerCase() === n || r.shortNames.includes(n);
}

/** The resource and field path of `deployments.apps.spec.template` (the longest resource.group prefix wins). */
export function splitResourcePath(spec: string, apiVersion?: string): { r: ResourceType; fieldPath: string[] } {
  const parts = spec.split('.');
  const [group, version] = apiVersion ? (apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]) : [undefined, undefined];
  for (let n = parts.length; n >= 2; n--) {
    const g = parts.slice(1, n).join('.');
    const r = servedResources().find((x) => matches(x, parts[0]) && x.group === g && (!version || x.version === version));
    if (r) return { r, fieldPath: parts.slice(n) };
  }
  const r = servedResources().find((x) => matches(x, parts[0]) && (group === undefined || x.group === group) && (!version || x.version === version));
  if (!r) {
    const byName = servedResources().find((x) => matches(x, parts[0]));
    if (byName && apiVersion) throw new CliError(`couldn't find resource for "${group ?? ''}/${version}, Resource=${byName.plural}"`);
    throw new CliError(`the server doesn't have a resource type "${parts[0]}"`, 1, true);
  }
  return { r, fieldPath: parts.slice(1) };
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('explain')
    .description('Get the documentation of a resource and its fields')
    .argument('<resource>', 'RESOURCE[.FIELD...]')
    .option('--recursive', 'list the fields of the fields too', false)
    .option('--api-version <group/version>', 'the API version of the resource to explain')
    .option('-o, --output <format>', 'plaintext', 'plaintext')
    .action(async (spec: string, opts, cmd: Command) => {
      if (opts.output !== 'plaintext') throw new CliError(`unsupported output format: ${opts.output}; kctl prints plaintext only`);
      const ctx = await connect(cmd);
      try {
        if (!resolveResource(spec.split('.')[0])) await learnServedResources(ctx.client);
        const { r, fieldPath } = splitResourcePath(spec, opts.apiVersion);
        const gv = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
        const index = await ctx.client.request<{ paths?: Record<string, { serverRelativeURL: string }> }>('GET', '/openapi/v3');
        const entry = index.paths?.[gv];
        if (!entry) throw new CliError(`couldn't find resource for "${r.group}/${r.version}, Kind=${r.kind}"`);
        const document = await ctx.client.request<Record<string, any>>('GET', entry.serverRelativeURL);
        io.out.write(explain({ document, group: r.group, version: r.version, resource: r.plural, fieldPath, recursive: opts.recursive }));
      } catch (err) {
        if (err instanceof ExplainError) {
          io.out.write(err.printed);
          throw new CliError(err.message);
        }
        throw err;
      } finally {
        ctx.client.close();
      }
    });
}

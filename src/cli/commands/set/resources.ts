// kctl set resources TYPE NAME [--limits=cpu=200m,memory=512Mi] [--requests=...] [-c CONTAINER]:
// the resource requirements of pod template containers, as kubectl sets them.
import type { Command } from 'commander';
import { Quantity } from '../../../api/quantity.js';
import { CliError } from '../../errors.js';
import { registerPodSpecCommand, selectContainers } from './pod-spec-command.js';
import type { IOStreams } from '../../io-streams.js';

/** `name=quantity,...`, kubectl's ParseResourceList (quantities in their canonical form). */
export function parseResourceList(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new CliError(`Invalid argument syntax ${pair}, expected <resource>=<value>`);
    const q = Quantity.parse(pair.slice(eq + 1));
    if (!q) throw new CliError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    out[pair.slice(0, eq)] = q.toString();
  }
  return out;
}

export function register(set: Command, io: IOStreams): void {
  registerPodSpecCommand(set, io, {
    name: 'resources',
    description: 'Update resource requests/limits on objects with pod templates',
    done: 'resource requirements updated',
    options: (cmd) =>
      cmd
        .option('--limits <list>', 'resource limits, e.g. cpu=200m,memory=512Mi', '')
        .option('--requests <list>', 'resource requests, e.g. cpu=100m,memory=256Mi', '')
        .option('-c, --containers <glob>', 'the names of the containers to change (a glob)', '*'),
    change: (args, opts) => {
      if (!opts.limits && !opts.requests) throw new CliError('you must specify an update to requests or limits (in the form of --requests/--limits)');
      const limits = parseResourceList(opts.limits);
      const requests = parseResourceList(opts.requests);
      return {
        resources: args,
        change: (spec) => {
          const containers = [...selectContainers(spec.initContainers, opts.containers), ...selectContainers(spec.containers, opts.containers)];
          if (containers.length === 0) throw new CliError(`unable to find container named ${opts.containers}`);
          for (const c of containers) {
            c.resources ??= {};
            if (Object.keys(limits).length) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
            if (Object.keys(requests).length) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
          }
        },
      };
    },
  });
}

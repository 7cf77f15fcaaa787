// kctl api-resources: what the server serves, read from its discovery documents as kubectl does.
import type { Command } from 'commander';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { alignColumns } from '../printers/text-table.js';
import type { IOStreams } from '../io-streams.js';

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

interface Row extends ApiResource {
  apiVersion: string;
  group: string;
}

export function register(program: Command, io: IOStreams): void {
  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('--namespaced [bool]', 'only namespaced (true) or only cluster-scoped (false) resources')
    .option('--api-group <group>', 'only resources in this API group ("" for core)')
    .option('-o, --output <format>', 'wide or name')
    .option('--no-headers', "don't print headers")
    .option('--sort-by <field>', 'name or kind')
    .action(async (opts, cmd: Command) => {
      if (opts.output && !['wide', 'name'].includes(opts.output)) throw new CliError(`--output ${opts.output} is not available, use wide or name`);
      const { client } = await connect(cmd);
      const groupVersions = ['v1'];
      const groups = await client.request<{ groups: Array<{ preferredVersion: { groupVersion: string } }> }>('GET', '/apis');
      groupVersions.push(...groups.groups.map((g) => g.preferredVersion.groupVersion));
      const rows: Row[] = [];
      for (const gv of groupVersions) {
        const list = await client.request<{ resources: ApiResource[] }>('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
        for (const r of list.resources) {
          if (r.name.includes('/')) continue;
          rows.push({ ...r, apiVersion: gv, group: gv.includes('/') ? gv.split('/')[0] : '' });
        }
      }
      client.close();
      let shown = rows.filter((r) => opts.apiGroup === undefined || r.group === opts.apiGroup);
      if (opts.namespaced !== undefined) {
        const want = opts.namespaced === true || opts.namespaced === 'true';
        shown = shown.filter((r) => r.namespaced === want);
      }
      if (opts.sortBy === 'name' || opts.sortBy === 'kind') shown.sort((a, b) => a[opts.sortBy as 'name' | 'kind'].localeCompare(b[opts.sortBy as 'name' | 'kind']));
      else if (opts.sortBy) throw new CliError(`--sort-by accepts only name or kind`);
      if (opts.output === 'name') {
        io.out.write(shown.map((r) => (r.group ? `${r.name}.${r.group}` : r.name)).join('\n') + '\n');
        return;
      }
      const wide = opts.output === 'wide';
      const lines: string[][] = [];
      if (opts.headers) lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
      for (const r of shown) {
        lines.push([
          r.name,
          (r.shortNames ?? []).join(','),
          r.apiVersion,
          String(r.namespaced),
          r.kind,
          ...(wide ? [r.verbs.join(','), (r.categories ?? []).join(',')] : []),
        ]);
      }
      io.out.write(alignColumns(lines));
    });
}

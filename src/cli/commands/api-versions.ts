// kctl api-versions: every group/version the server serves, from its discovery documents, sorted.
import type { Command } from 'commander';
import { connect } from '../context.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('api-versions')
    .description('Print the supported API versions on the server, in the form of "group/version"')
    .action(async (_opts, cmd: Command) => {
      const ctx = await connect(cmd);
      try {
        const core = await ctx.client.request<{ versions?: string[] }>('GET', '/api');
        const groups = await ctx.client.request<{ groups?: Array<{ versions: Array<{ groupVersion: string }> }> }>('GET', '/apis');
        const versions = [...(core.versions ?? []), ...(groups.groups ?? []).flatMap((g) => g.versions.map((v) => v.groupVersion))];
        io.out.write(versions.sort().map((v) => `${v}\n`).join(''));
      } finally {
        ctx.client.close();
      }
    });
}

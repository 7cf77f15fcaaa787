// kctl version: the client's and the server's versions, as kubectl prints them.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../cluster/repo-root.js';
import { CliError } from '../errors.js';
import type { IOStreams } from '../io-streams.js';

export function register(program: Command, io: IOStreams): void {
  program
    .command('version')
    .description('Print the client and server version information')
    .option('--client', 'print the client version only', false)
    .option('-o, --output <format>', 'one of: json, yaml')
    .action(async (opts, cmd: Command) => {
      const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      const result: Record<string, unknown> = { clientVersion: { gitVersion: `v${pkg.version}`, kctl: true } };
      let serverError: Error | undefined;
      if (!opts.client) {
        try {
          // Loaded only to ask the server: --client needs no HTTP or TLS.
          const { connect } = await import('../context.js');
          const { client } = await connect(cmd);
          result.serverVersion = await client.request('GET', '/version');
        } catch (err) {
          serverError = err as Error;
        }
      }
      if (opts.output === 'json') io.out.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (opts.output === 'yaml') io.out.write((await import('yaml')).stringify(result));
      else if (opts.output) throw new CliError(`--output must be 'yaml' or 'json'`);
      else {
        io.out.write(`Client Version: kctl v${pkg.version}\n`);
        const sv = result.serverVersion as { gitVersion?: string } | undefined;
        if (sv) io.out.write(`Server Version: ${sv.gitVersion}\n`);
      }
      if (serverError) throw serverError;
    });
}

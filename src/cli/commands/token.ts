// kctl token create|list: join tokens for node agents, as `kubeadm token` manages them.
import type { Command } from 'commander';
import { connect } from '../context.js';
import { CliError } from '../errors.js';
import { parseDurationFlag } from '../go-duration.js';
import { createJoinToken, listJoinTokens } from '../join-tokens.js';
import type { IOStreams } from '../io-streams.js';

function ttlMs(text: string): number {
  const ms = parseDurationFlag('ttl', text);
  if (ms < 0) throw new CliError(`--ttl must not be negative, got "${text}"`);
  return ms;
}

export function register(program: Command, io: IOStreams): void {
  const token = program.command('token').description('Manage the join tokens node agents (kctl-node) join the cluster with');
  token
    .command('create')
    .description('Create a join token (a bootstrap token) and print it')
    .option('--ttl <duration>', 'how long until the token expires, e.g. 24h, 30m; 0 means never', '24h0m0s')
    .option('--description <text>', 'a human-friendly description of how the token is used')
    .action(async (opts, cmd: Command) => {
      const ttl = ttlMs(opts.ttl);
      const { client } = await connect(cmd);
      io.out.write(`${await createJoinToken(client, { ttlMs: ttl, description: opts.description })}\n`);
    });
  token
    .command('list')
    .description('List the join tokens')
    .action(async (_opts, cmd: Command) => {
      const { client } = await connect(cmd);
      const { printJoinTokens } = await import('../printers/join-tokens.js');
      io.out.write(printJoinTokens(await listJoinTokens(client), new Date()));
    });
  token.commands.forEach((c) => c.exitOverride());
}

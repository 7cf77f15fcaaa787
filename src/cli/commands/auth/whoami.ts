// kctl auth whoami: the user the server authenticates the request as (a SelfSubjectReview), printed
// as kubectl does: a table of ATTRIBUTE/VALUE, or the review itself with -o json|yaml.
import type { Command } from 'commander';
import { connect } from '../../context.js';
import { CliError } from '../../errors.js';
import { alignColumns } from '../../printers/text-table.js';
import type { IOStreams } from '../../io-streams.js';

interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** kubectl's rows: Username, UID, Groups (`[a b]`), then `Extra: key` per extra, in key order. */
export function whoamiRows(user: UserInfo): string[][] {
  const rows = [['ATTRIBUTE', 'VALUE']];
  if (user.username) rows.push(['Username', user.username]);
  if (user.uid) rows.push(['UID', user.uid]);
  if (user.groups?.length) rows.push(['Groups', `[${user.groups.join(' ')}]`]);
  for (const key of Object.keys(user.extra ?? {}).sort()) rows.push([`Extra: ${key}`, `[${user.extra![key].join(' ')}]`]);
  return rows;
}

export function register(auth: Command, io: IOStreams): void {
  auth
    .command('whoami')
    .description('Experimental: Check self subject attributes')
    .option('-o, --output <format>', 'one of: json, yaml')
    .action(async (opts: { output?: string }, cmd: Command) => {
      if (opts.output && opts.output !== 'json' && opts.output !== 'yaml') {
        throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,yaml`);
      }
      const { client } = await connect(cmd);
      const review = await client.request<{ status?: { userInfo?: UserInfo } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: { userInfo: {} },
      });
      if (opts.output === 'json') io.out.write(`${JSON.stringify(review, null, 4)}\n`);
      else if (opts.output === 'yaml') io.out.write((await import('yaml')).stringify(review));
      else io.out.write(alignColumns(whoamiRows(review.status?.userInfo ?? {})));
    });
}

// How a command that works through manifests reports one that failed, and the --dry-run flag they share.
import { Option, type Command } from 'commander';
import { ApiError } from '../../api/errors.js';
import { CliError } from '../errors.js';
import { locateField, type Manifest } from './read-manifests.js';
import type { IOStreams } from '../io-streams.js';

export type DryRun = 'none' | 'client' | 'server';

export function dryRunOption(): Option {
  return new Option('--dry-run [mode]', 'only print what would be sent: "client" (nothing is sent) or "server" (validated by the server, not stored)')
    .choices(['none', 'client', 'server'])
    .default('none')
    .preset('client');
}

/** `-f FILE|DIR|-` (repeatable) and `-R`, as every manifest-reading command has them. */
export function addFilenameOptions(cmd: Command, purpose: string): Command {
  return cmd
    .option('-f, --filename <path>', `file, directory or - (stdin) with the manifests ${purpose}; repeatable`, (v: string, prev: string[]) => [...prev, v], [])
    .option('-R, --recursive', 'process the directories of -f recursively', false);
}

/**
 * The --dry-run of a subcommand whose parent has the flag too (`create deployment` under `create`):
 * commander gives the flag to the parent wherever it is written, so the one set on the command line wins.
 */
export function dryRunOf(cmd: Command): DryRun {
  for (let c: Command | null = cmd; c; c = c.parent) {
    if (c.getOptionValueSource('dryRun') === 'cli') return c.getOptionValue('dryRun');
  }
  return 'none';
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** kubectl's `Error from server (...): error when creating "file": ...`, plus a file:line:col per invalid field. */
export function reportFailure(io: IOStreams, m: Manifest, err: unknown, verb: string): void {
  if (err instanceof ApiError) {
    // kubectl names standard input STDIN (its builder's source for `-f -`).
    const source = m.source === '-' ? 'STDIN' : m.source;
    io.errOut.write(`Error from server (${err.reason}): error when ${verb} "${source}": ${err.message}\n`);
    for (const c of err.details?.causes ?? []) {
      if (c.field) io.errOut.write(`  ${locateField(m, c.field)}: ${c.field}: ${c.message}\n`);
    }
    return;
  }
  if (err instanceof CliError) {
    io.errOut.write(`error: ${err.message}\n`);
    return;
  }
  throw err;
}

/**
 * Runs one step per manifest, printing its result line; a manifest that cannot be used or fails is
 * reported and the others still go through, as kubectl does. Sets exit code 1 if any failed.
 */
export async function forEachManifest(io: IOStreams, manifests: Manifest[], verb: string, step: (m: Manifest) => Promise<string>): Promise<void> {
  let failed = 0;
  for (const m of manifests) {
    if (m.error) {
      io.errOut.write(`error: ${m.error}\n`);
      failed++;
      continue;
    }
    try {
      io.out.write(`${await step(m)}\n`);
    } catch (err) {
      reportFailure(io, m, err, verb);
      failed++;
    }
  }
  if (failed) process.exitCode = 1;
}

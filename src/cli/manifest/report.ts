// How a command that works through manifests reports one that failed, and the --dry-run flag they share.
import { Option } from 'commander';
import { ApiError } from '../../api/errors.js';
import { CliError } from '../errors.js';
import { locateField, type Manifest } from './read-manifests.js';

export type DryRun = 'none' | 'client' | 'server';

export function dryRunOption(): Option {
  return new Option('--dry-run [mode]', 'only print what would be sent: "client" (nothing is sent) or "server" (validated by the server, not stored)')
    .choices(['none', 'client', 'server'])
    .default('none')
    .preset('client');
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** kubectl's `Error from server (...): error when creating "file": ...`, plus a file:line:col per invalid field. */
export function reportFailure(m: Manifest, err: unknown, verb: string): void {
  if (err instanceof ApiError) {
    process.stderr.write(`Error from server (${err.reason}): error when ${verb} "${m.source}": ${err.message}\n`);
    for (const c of err.details?.causes ?? []) {
      if (c.field) process.stderr.write(`  ${locateField(m, c.field)}: ${c.field}: ${c.message}\n`);
    }
    return;
  }
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    return;
  }
  throw err;
}

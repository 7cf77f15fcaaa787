// kubectl cp's path rules: `[[NAMESPACE/]POD:]PATH` specs, the prefix stripped from the names of
// a downloaded archive, and where each entry lands locally (never outside the destination).
import { posix, join, relative, resolve } from 'node:path';
import { CliError } from './errors.js';

export interface FileSpec {
  namespace?: string;
  pod?: string;
  path: string;
}

export function parseFileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new CliError('filespec must match the canonical format: [[namespace/]pod:]file/path');
  if (i < 0) return { path: arg };
  const pieces = arg.slice(0, i).split('/');
  if (pieces.length > 2) throw new CliError('filespec must match the canonical format: [[namespace/]pod:]file/path');
  return pieces.length === 2 ? { namespace: pieces[0], pod: pieces[1], path: arg.slice(i + 1) } : { pod: pieces[0], path: arg.slice(i + 1) };
}

/** The remote path as tar names its entries: cleaned, no leading `/`, no `../` above the root. */
export function archivePrefix(remote: string): string {
  let p = posix.normalize(remote).replace(/^\/+/, '').replace(/\/+$/, '');
  while (p.startsWith('../')) p = p.slice(3);
  if (p === '..' || p === '.') p = '';
  return p;
}

/** Where an entry of the downloaded archive goes, or undefined when it would leave the destination. */
export function localTarget(entryName: string, prefix: string, dest: string): string | undefined {
  const name = entryName.replace(/^\/+/, '');
  if (!name.startsWith(prefix)) throw new CliError('tar contents corrupted');
  const rest = name.slice(prefix.length);
  const target = join(dest, rest);
  const rel = relative(resolve(dest), resolve(target));
  if (rel.startsWith('..')) return undefined;
  return target;
}

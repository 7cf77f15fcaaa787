// The cluster's home holds the store (every Secret), keys and tokens: only its owner may enter it.
// Used by `kctl cluster up` and by the daemon, whichever makes the folder first.
import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * Creates dir as 0700, or takes group and other access away from an existing one. Returns the mode
 * it had when it was tightened (so the caller can say so), otherwise undefined.
 */
export function ensurePrivateDir(dir: string): number | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  chmodSync(dir, mode & 0o700);
  return mode;
}

/** `0755` as a message shows a mode. */
export function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

// kubectl's duration flags: Go durations (src/api/go-duration.ts) with kubectl's error naming the flag.
import { CliError } from './errors.js';
import { parseGoDuration } from '../api/go-duration.js';

export { parseGoDuration };

/** A duration flag's value in milliseconds, or kubectl's error naming the flag. */
export function parseDurationFlag(flag: string, text: string): number {
  try {
    return parseGoDuration(text);
  } catch (err) {
    throw new CliError(`invalid argument "${text}" for "--${flag}" flag: ${(err as Error).message}`);
  }
}

// kubectl's ContinueOnError visiting of several objects: each failure is printed as kubectl prints
// it, the others still go through, and the command exits 1.
import { ApiError } from '../api/errors.js';
import { CliError } from './errors.js';
import type { IOStreams } from './io-streams.js';

/** kubectl's error when neither resource arguments nor -f were given. */
export const NO_RESOURCES_GIVEN = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

export function reportAndContinue(io: IOStreams, err: unknown): void {
  if (err instanceof ApiError) io.errOut.write(`Error from server (${err.reason}): ${err.message}\n`);
  else if (err instanceof CliError) io.errOut.write(`error: ${err.message}\n`);
  else throw err;
  process.exitCode = 1;
}

// What a command that writes an object prints: kubectl's `deployment.apps/web created` line (with
// ` (dry run)`), or with -o the object in that format (`-o name` without the operation).
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { dryRunSuffix, type DryRun } from '../manifest/report.js';
import { objectName } from './name.js';
import { parseOutputFormat, type ObjectFormat } from './output-format.js';
import type { IOStreams } from '../io-streams.js';

const ALLOWED = 'custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml';

export function outputOption(): Option {
  return new Option('-o, --output <format>', `output format: one of ${ALLOWED}`);
}

/** The -o format, checked before anything is sent; undefined for the result line. */
export function objectOutput(spec: string | undefined): ObjectFormat | undefined {
  if (!spec) return undefined;
  let format;
  try {
    format = parseOutputFormat(spec);
  } catch (err) {
    throw new CliError((err as Error).message.replace(/allowed formats are: .*/, `allowed formats are: ${ALLOWED}`));
  }
  if (format.type === 'table') throw new CliError(`unable to match a printer suitable for the output format "${spec}", allowed formats are: ${ALLOWED}`);
  return format;
}

export async function printResult(
  io: IOStreams,
  obj: KubeObject,
  operation: string,
  format: ObjectFormat | undefined,
  dryRun: DryRun = 'none',
  keepKeyOrder = false,
): Promise<void> {
  if (!format) {
    io.out.write(`${objectName(obj)} ${operation}${dryRunSuffix(dryRun)}\n`);
    return;
  }
  const { printObjects } = await import('./index.js');
  io.out.write(printObjects([obj], format, { singleObject: true, keepKeyOrder, readFile: (path) => readFileSync(path, 'utf8') }));
}

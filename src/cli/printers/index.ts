// Chooses a printer from `-o`, and prints objects in every format but the table ones (those come
// from the server's Table, see text-table.ts).
import type { KubeObject } from '../../api/types.js';
import { parseCustomColumnsSpec, parseCustomColumnsTemplate, printCustomColumns } from './custom-columns.js';
import { printJsonPath } from './jsonpath.js';
import { printNames } from './name.js';
import { toJson, toYaml } from './yaml-json.js';

export type OutputFormat =
  /** No `-o` (`wide: false`) or `-o wide`. */
  | { type: 'table'; wide: boolean }
  | { type: 'json' }
  | { type: 'yaml' }
  | { type: 'name' }
  /** `-o jsonpath=`, or `-o jsonpath-as-json=` (`asJson`) which prints results as a JSON array. */
  | { type: 'jsonpath'; template: string; asJson: boolean }
  | { type: 'jsonpath-file'; path: string }
  | { type: 'custom-columns'; spec: string }
  | { type: 'custom-columns-file'; path: string };

export type ObjectFormat = Exclude<OutputFormat, { type: 'table' }>;

const ALLOWED = 'custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml';

/** Parses the value of `-o`; undefined or empty means the default table. */
export function parseOutputFormat(spec: string | undefined): OutputFormat {
  if (!spec) return { type: 'table', wide: false };
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const arg = eq < 0 ? '' : spec.slice(eq + 1);
  switch (name) {
    case 'wide':
    case 'json':
    case 'yaml':
    case 'name':
      if (eq >= 0) break;
      return name === 'wide' ? { type: 'table', wide: true } : { type: name };
    case 'jsonpath':
    case 'jsonpath-as-json':
      if (!arg) throw new Error('template format specified but no template given');
      return { type: 'jsonpath', template: arg, asJson: name === 'jsonpath-as-json' };
    case 'jsonpath-file':
      if (!arg) throw new Error('template format specified but no template file given');
      return { type: 'jsonpath-file', path: arg };
    case 'custom-columns':
      if (!arg) throw new Error('custom-columns format specified but no custom columns given');
      return { type: 'custom-columns', spec: arg };
    case 'custom-columns-file':
      if (!arg) throw new Error('custom-columns-file format specified but no custom columns file given');
      return { type: 'custom-columns-file', path: arg };
  }
  throw new Error(`unable to match a printer suitable for the output format "${spec}", allowed formats are: ${ALLOWED}`);
}

export interface ObjectPrintOptions {
  /** One object asked for by name prints alone; anything else prints as a `List`, as kubectl does. */
  singleObject?: boolean;
  noHeaders?: boolean;
  /** `--allow-missing-template-keys`, true by default. */
  allowMissingTemplateKeys?: boolean;
  /** Reads the file of `jsonpath-file=` and `custom-columns-file=`. */
  readFile?: (path: string) => string;
}

/** The text kubectl prints for these objects in a non-table format. */
export function printObjects(objects: KubeObject[], format: ObjectFormat, opts: ObjectPrintOptions = {}): string {
  const data = opts.singleObject && objects.length === 1 ? objects[0] : listOf(objects);
  const read = (path: string) => {
    if (!opts.readFile) throw new Error(`cannot read ${path}: no file reader given`);
    return opts.readFile(path);
  };
  switch (format.type) {
    case 'json':
      return toJson(data);
    case 'yaml':
      return toYaml(data);
    case 'name':
      return printNames(objects);
    case 'jsonpath':
      return printJsonPath(format.template, data, { allowMissingKeys: opts.allowMissingTemplateKeys, asJson: format.asJson });
    case 'jsonpath-file':
      return printJsonPath(read(format.path), data, { allowMissingKeys: opts.allowMissingTemplateKeys });
    case 'custom-columns':
      return printCustomColumns(objects, parseCustomColumnsSpec(format.spec), opts);
    case 'custom-columns-file':
      // kubectl prints a template file's headers even with --no-headers.
      return printCustomColumns(objects, parseCustomColumnsTemplate(read(format.path)));
  }
}

/** The `List` kubectl wraps several objects in. */
export function listOf(objects: KubeObject[]): KubeObject {
  return { apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } };
}

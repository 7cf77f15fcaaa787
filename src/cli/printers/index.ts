// Chooses a printer from `-o`, and prints objects in every format but the table ones (those come
// from the server's Table, see text-table.ts).
import type { KubeObject } from '../../api/types.js';
import { parseCustomColumnsSpec, parseCustomColumnsTemplate, printCustomColumns } from './custom-columns.js';
import { printJsonPath } from '../../api/printers/jsonpath.js';
import { printNames } from './name.js';
import { toJson, toYaml } from '../../api/printers/yaml-json.js';

export { parseOutputFormat, type ObjectFormat, type OutputFormat } from './output-format.js';
import type { ObjectFormat } from './output-format.js';

export interface ObjectPrintOptions {
  /** One object asked for by name prints alone; anything else prints as a `List`, as kubectl does. */
  singleObject?: boolean;
  noHeaders?: boolean;
  /** `--allow-missing-template-keys`, true by default. */
  allowMissingTemplateKeys?: boolean;
  /** JSON keys in the order they were written (a typed object kubectl built), not sorted. */
  keepKeyOrder?: boolean;
  /** Reads the file of `jsonpath-file=` and `custom-columns-file=`. */
  readFile?: (path: string) => string;
  /** Keep metadata.managedFields, which kubectl leaves out unless `--show-managed-fields`. */
  showManagedFields?: boolean;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _omitted, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The text kubectl prints for these objects in a non-table format. */
export function printObjects(shown: KubeObject[], format: ObjectFormat, opts: ObjectPrintOptions = {}): string {
  const objects = opts.showManagedFields ? shown : shown.map(withoutManagedFields);
  const data = opts.singleObject && objects.length === 1 ? objects[0] : listOf(objects);
  const read = (path: string) => {
    if (!opts.readFile) throw new Error(`cannot read ${path}: no file reader given`);
    return opts.readFile(path);
  };
  switch (format.type) {
    case 'json':
      return toJson(data, !opts.keepKeyOrder);
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

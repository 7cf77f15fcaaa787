// A custom resource's columns: Name, then its definition's additionalPrinterColumns, each a JSONPath
// evaluated on the object, as apiextensions-apiserver's table convertor prints them (a definition
// without columns gets Age).
import type { PrinterColumn } from '../../resources.js';
import type { KubeObject, TableColumnDefinition } from '../../types.js';
import { JsonPath, goSprint } from '../jsonpath.js';
import { marshalJson } from '../yaml-json.js';
import { timestampSince } from '../duration.js';
import { NAME_COLUMN, type ColumnPrinter } from './common.js';

/** The column a definition without additionalPrinterColumns is served with. */
export const DEFAULT_CUSTOM_COLUMNS: PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  },
];

const printers = new WeakMap<PrinterColumn[], ColumnPrinter>();

/** Parsed once per definition version (the column list is the catalogue's, kept while it is served). */
export function customColumns(printerColumns: PrinterColumn[]): ColumnPrinter {
  let printer = printers.get(printerColumns);
  if (!printer) {
    printer = buildPrinter(printerColumns.length ? printerColumns : DEFAULT_CUSTOM_COLUMNS);
    printers.set(printerColumns, printer);
  }
  return printer;
}

function buildPrinter(defs: PrinterColumn[]): ColumnPrinter {
  const columns: TableColumnDefinition[] = [NAME_COLUMN];
  const paths: (JsonPath | undefined)[] = [];
  for (const c of defs) {
    columns.push({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    });
    let path: JsonPath | undefined;
    try {
      path = new JsonPath(`{${c.jsonPath}}`, { allowMissingKeys: true });
    } catch {
      // Definitions are validated; a column that still does not parse prints nothing.
    }
    paths.push(path);
  }
  return {
    columns,
    cells: (obj, now) => [obj.metadata.name, ...defs.map((c, i) => cell(c.type, first(paths[i], obj), now))],
  };
}

function first(path: JsonPath | undefined, obj: KubeObject): unknown {
  if (!path) return undefined;
  try {
    return path.findResults(obj)[0]?.[0];
  } catch {
    return undefined;
  }
}

function cell(type: string, value: unknown, now: Date): unknown {
  if (value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      return value !== null && typeof value === 'object' ? marshalJson(value) : goSprint(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : timestampSince(value, now);
  }
  return null;
}

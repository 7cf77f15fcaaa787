// The meta.k8s.io/v1 Table the daemon answers to `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`,
// built the way the Kubernetes API server builds it, so kubectl prints it as against a real cluster.
import { apiVersionOf, type ResourceType } from '../resources.js';
import type { KubeObject, Table, TableRow } from '../types.js';
import { columnsFor } from './columns.js';
import { customColumns } from './columns/custom.js';

/** The `includeObject` query parameter: what each row carries besides its cells. */
export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface TableOptions {
  now: Date;
  /** Default `Metadata`: a PartialObjectMetadata, enough for kubectl's NAMESPACE and label columns. */
  includeObject?: IncludeObject;
}

/**
 * One row per object, with every column including the wide ones (the server always prints them;
 * clients hide priority-1 columns unless asked for wide output).
 */
export function toTable(r: ResourceType, objects: KubeObject[], opts: TableOptions): Table {
  const printer = r.custom ? customColumns(r.custom.printerColumns) : columnsFor(r.group, r.kind);
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, opts.now) };
    if (include === 'Object') row.object = { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(r), kind: obj.kind ?? r.kind };
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
    return row;
  });
  // A single object's table carries its resourceVersion; a list's is set by the caller from the list.
  const metadata = objects.length === 1 && objects[0].metadata.resourceVersion ? { resourceVersion: objects[0].metadata.resourceVersion } : {};
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: printer.columns, rows };
}

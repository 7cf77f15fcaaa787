// Renders a meta.k8s.io/v1 Table as kubectl's human-readable printer does: upper-case headers,
// columns aligned by kubectl's tabwriter (minimum width 6, padding 3), wide columns only for `-o wide`,
// and the NAMESPACE, `-L` label, LABELS and `kind/` name decorations.
import type { Table, TableColumnDefinition } from '../../api/types.js';
import { formatLabels } from '../../api/printers/columns/labels.js';
import { TabWriter } from './tabwriter.js';

/** What renderTable prints through: `get` keeps one across the tables of a watch. */
export { TabWriter };

export interface TableTextOptions {
  /** `-o wide`: also the priority-1 columns. */
  wide?: boolean;
  noHeaders?: boolean;
  /** `--show-labels`: a LABELS column, last. */
  showLabels?: boolean;
  /** `-A` on a namespaced kind: a NAMESPACE column, first. */
  withNamespace?: boolean;
  /** `-L key`: one column per label key, its value in each row. */
  labelColumns?: string[];
  /** `deployment.apps`: prefixes names (`deployment.apps/django`) when several kinds are printed together. */
  kind?: string;
}

/** Aligns tab-separated cells once, as kubectl's tabwriter. */
export function alignColumns(lines: string[][]): string {
  return new TabWriter().format(lines);
}

/** The table as `kubectl get` prints it; nothing at all when there are no rows. */
export function renderTable(table: Table, opts: TableTextOptions = {}, writer: TabWriter = new TabWriter()): string {
  if (table.rows.length === 0) return '';
  const { columns, rows } = decorate(table, opts);
  const visible = columns.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || c.priority === 0);
  const lines: string[][] = [];
  if (!opts.noHeaders) lines.push(visible.map(({ c }) => c.name.toUpperCase()));
  for (const cells of rows) lines.push(visible.map(({ i }) => cellText(cells[i])));
  return writer.format(lines);
}

/**
 * Several tables printed in one go (`kubectl get deploy,svc`): a blank line between those that
 * printed something, none with --no-headers.
 */
export function joinTables(outputs: string[], noHeaders = false): string {
  return outputs.filter((o) => o !== '').join(noHeaders ? '' : '\n');
}

/** What kubectl says on stderr when nothing matched: namespace-less for `-A` and cluster-scoped kinds. */
export function noResourcesFoundMessage(namespace?: string): string {
  return namespace ? `No resources found in ${namespace} namespace.` : 'No resources found';
}

/** Replaces characters a terminal would interpret, as kubectl does before printing server text. */
export function escapeTerminal(text: string): string {
  return text.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}

interface Decorated {
  columns: TableColumnDefinition[];
  rows: unknown[][];
}

function decorate(table: Table, opts: TableTextOptions): Decorated {
  const labelKeys = opts.labelColumns ?? [];
  const extra = (name: string): TableColumnDefinition => ({ name, type: 'string', format: '', description: '', priority: 0 });
  const columns = [
    ...(opts.withNamespace ? [extra('Namespace')] : []),
    ...table.columnDefinitions,
    // `-L app.kubernetes.io/name` is headed NAME, the key's last segment.
    ...labelKeys.map((key) => extra(key.split('/').pop()!)),
    ...(opts.showLabels ? [extra('Labels')] : []),
  ];
  const nameColumn = opts.kind ? table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
  const rows = table.rows.map((row) => {
    const cells = [...row.cells];
    if (nameColumn >= 0) cells[nameColumn] = `${opts.kind}/${cellText(cells[nameColumn])}`;
    const metadata = (row.object as { metadata?: { namespace?: string; labels?: Record<string, string> } } | undefined)?.metadata;
    const labels = metadata?.labels ?? {};
    return [
      ...(opts.withNamespace ? [metadata?.namespace ?? ''] : []),
      ...cells,
      // Rows with fewer cells than columns are padded, so label cells land under their headers.
      ...Array(Math.max(0, table.columnDefinitions.length - cells.length)).fill(undefined),
      ...labelKeys.map((key) => (metadata ? labels[key] ?? '' : undefined)),
      ...(opts.showLabels ? [metadata ? formatLabels(labels) : undefined] : []),
    ];
  });
  return { columns, rows };
}

/** A cell's text: cut at the first line break (marked `...`), terminal escapes neutralised. */
function cellText(cell: unknown): string {
  if (cell === undefined || cell === null) return '';
  const text = String(cell);
  const lineBreak = text.search(/[\f\n\r]/);
  return lineBreak < 0 ? escapeTerminal(text) : `${escapeTerminal(text.slice(0, lineBreak))}...`;
}

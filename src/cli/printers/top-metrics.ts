// Pure: `kubectl top`'s tables (kubectl/pkg/metricsutil's TopCmdPrinter), from NodeMetrics and
// PodMetrics. CPU in millicores rounded up (`250m`), memory in whole MiB rounded down (`12Mi`),
// percentages of what the node can allocate, truncated; nodes with no figures show `<unknown>`.
// Every line ends with a tab as kubectl's does, so its last column is padded too.
import { Quantity } from '../../api/quantity.js';
import { TabWriter } from './tabwriter.js';

export type SortBy = '' | 'cpu' | 'memory';
export const SORT_BY_VALUES = ['cpu', 'memory'];

type Usage = Record<string, string | undefined>;

export interface NodeMetricsItem {
  metadata: { name: string };
  usage: Usage;
}

export interface PodMetricsItem {
  metadata: { name: string; namespace?: string };
  containers: { name: string; usage: Usage }[];
}

const MEASURED = ['cpu', 'memory'] as const;
const UNKNOWN = '<unknown>';

/** The numbers kubectl sorts and prints: CPU in millicores, memory in bytes. */
interface Figures {
  cpu: bigint;
  memory: bigint;
}

function figures(usage: Usage): Figures {
  return {
    cpu: Quantity.parse(usage.cpu ?? '0')?.milliValue() ?? 0n,
    memory: Quantity.parse(usage.memory ?? '0')?.value() ?? 0n,
  };
}

function sum(list: Figures[]): Figures {
  return list.reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0n, memory: 0n });
}

/** The usage cells, each followed by its percentage of `available` when known. */
function usageCells(f: Figures, available?: Figures): string[] {
  const cells: string[] = [];
  for (const r of MEASURED) {
    cells.push(r === 'cpu' ? `${f.cpu}m` : `${f.memory / (1024n * 1024n)}Mi`);
    if (available) {
      const [used, total] = r === 'cpu' ? [f.cpu, available.cpu] : [f.memory, available.memory];
      cells.push(`${total > 0n ? Math.trunc((Number(used) / Number(total)) * 100) : 0}%`);
    }
  }
  return cells;
}

/** Descending by the figure sorted on; otherwise by `byName`. */
function compare(sortBy: SortBy, a: Figures, b: Figures, byName: number): number {
  if (sortBy === 'cpu') return a.cpu > b.cpu ? -1 : a.cpu < b.cpu ? 1 : 0;
  if (sortBy === 'memory') return a.memory > b.memory ? -1 : a.memory < b.memory ? 1 : 0;
  return byName;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function render(lines: string[][]): string {
  return new TabWriter().format(lines.map((cells) => [...cells, '']));
}

/**
 * `kubectl top node`: the nodes with metrics (sorted), then the listed nodes without any.
 * `available` holds each listed node's allocatable (or capacity) cpu and memory.
 */
export function topNodesTable(metrics: NodeMetricsItem[], available: Map<string, Usage>, o: { noHeaders: boolean; sortBy: SortBy }): string {
  if (metrics.length === 0) return '';
  const lines: string[][] = [];
  if (!o.noHeaders) lines.push(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
  const rows = metrics.map((m) => ({ name: m.metadata.name, f: figures(m.usage) }));
  rows.sort((a, b) => compare(o.sortBy, a.f, b.f, byString(a.name, b.name)));
  for (const { name, f } of rows) {
    const a = available.get(name);
    lines.push([name, ...usageCells(f, a ? figures(a) : undefined)]);
  }
  const shown = new Set(rows.map((r) => r.name));
  for (const name of [...available.keys()].filter((n) => !shown.has(n)).sort(byString)) {
    lines.push([name, ...MEASURED.flatMap(() => [UNKNOWN, UNKNOWN])]);
  }
  return render(lines);
}

/** `kubectl top pod`, with --containers, -A (a NAMESPACE column) and --sum. */
export function topPodsTable(
  metrics: PodMetricsItem[],
  o: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy: SortBy; sum: boolean },
): string {
  if (metrics.length === 0) return '';
  const lines: string[][] = [];
  const width = 3 + (o.withNamespace ? 1 : 0) + (o.containers ? 1 : 0);
  if (!o.noHeaders) {
    lines.push([...(o.withNamespace ? ['NAMESPACE'] : []), ...(o.containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
  }
  const pods = metrics.map((m) => {
    const containers = m.containers.map((c) => ({ name: c.name, f: figures(c.usage) }));
    return { m, containers, f: sum(containers.map((c) => c.f)) };
  });
  pods.sort((a, b) => {
    const ns = o.withNamespace ? byString(a.m.metadata.namespace ?? '', b.m.metadata.namespace ?? '') : 0;
    return compare(o.sortBy, a.f, b.f, ns || byString(a.m.metadata.name, b.m.metadata.name));
  });
  for (const { m, containers, f } of pods) {
    const ns = o.withNamespace ? [m.metadata.namespace ?? ''] : [];
    if (!o.containers) {
      lines.push([...ns, m.metadata.name, ...usageCells(f)]);
      continue;
    }
    containers.sort((a, b) => compare(o.sortBy, a.f, b.f, byString(a.name, b.name)));
    for (const c of containers) lines.push([...ns, m.metadata.name, c.name, ...usageCells(c.f)]);
  }
  if (o.sum) {
    lines.push([...Array<string>(width - 2).fill(''), '________', '________']);
    lines.push([...Array<string>(width - 3).fill(''), '', ...usageCells(sum(pods.map((p) => p.f)))]);
  }
  return render(lines);
}

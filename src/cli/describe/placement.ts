// Where a pod may run: tolerations and topology spread constraints, for pods and pod templates.
import type { Toleration, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { byteOrder, formatLabelSelector } from '../../api/printers/columns/labels.js';
import { LEVEL_0, writeMultiline, type PrefixWriter } from './writer.js';

/** `key=value:Effect op=Exists for 300s`; a bare `operator: Exists` tolerates everything. */
function tolerationText(t: Toleration): string {
  let text = t.key ?? '';
  if (t.value) text += `=${t.value}`;
  if (t.effect) text += `:${t.effect}`;
  if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
  return text;
}

export function writeTolerations(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined): void {
  const sorted = [...(tolerations ?? [])].sort((a, b) => byteOrder(a.key ?? '', b.key ?? ''));
  writeMultiline(w, `${title}:\t`, '\t', sorted.map(tolerationText));
}

/** `space` indents the line when it belongs to a pod template. */
export function writeTopologySpreadConstraints(w: PrefixWriter, constraints: TopologySpreadConstraint[] | undefined, space: string): void {
  if (!constraints?.length) return;
  const sorted = [...constraints].sort((a, b) => byteOrder(a.topologyKey, b.topologyKey));
  const lines = sorted.map(
    (c) =>
      `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded` +
      (c.labelSelector ? ` for selector ${formatLabelSelector(c.labelSelector)}` : ''),
  );
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`);
  lines.forEach((line, i) => w.write(LEVEL_0, `${i > 0 ? `${space}\t` : ''}${line}\n`));
}

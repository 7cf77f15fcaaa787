// kubectl prints a revision's pod template through describe's prefix writer straight into a
// buffer, without the tab alignment describe itself applies: the same text, raw tabs kept.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { writePodTemplate } from '../../describe/pod-template.js';
import type { PrefixWriter } from '../../describe/writer.js';
import { escapeTerminal } from '../../printers/text-table.js';

export function printTemplate(template: PodTemplateSpec | undefined): string {
  let out = '';
  const raw = { write: (level: number, text: string) => (out += escapeTerminal('  '.repeat(level) + text)) };
  writePodTemplate(raw as unknown as PrefixWriter, template);
  return out;
}

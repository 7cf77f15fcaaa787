// kubectl describe's prefix writer: text at indentation levels (two spaces each), with `\t`
// separating a label from its value, aligned by Go's tabwriter as kubectl describe sets it up.
import { byteOrder } from '../../api/printers/columns/labels.js';
import { TabWriter, type TabWriterSettings } from '../printers/tabwriter.js';
import { escapeTerminal } from '../printers/text-table.js';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

/** tabwriter.NewWriter(out, 0, 8, 2, ' ', 0) of kubectl's describe. */
const DESCRIBE_SETTINGS: TabWriterSettings = { minWidth: 0, padding: 2, rememberWidths: false };

export class PrefixWriter {
  private chunks: string[] = [];

  // Values come from users and containers; like kubectl, never let them drive the terminal.
  write(level: number, text: string): void {
    this.chunks.push(escapeTerminal('  '.repeat(level) + text));
  }

  toString(): string {
    const lines = this.chunks
      .join('')
      .split('\n')
      .map((line) => line.split('\t'));
    return new TabWriter(DESCRIBE_SETTINGS).alignLines(lines).join('\n');
  }
}

/** Runs `fill` against a fresh writer and returns the aligned text. */
export function tabbed(fill: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  fill(w);
  return w.toString();
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;

/** `Labels:  a=b` then one `key=value` per continuation line, `<none>` when empty. */
export function writeLabels(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  const keys = Object.keys(labels ?? {}).sort(byteOrder);
  writeMultiline(w, `${title}:\t`, '\t', keys.map((k) => `${k}=${labels![k]}`));
}

/** Writes `head` then the first item, each further item on its own line after `continuation`. */
export function writeMultiline(w: PrefixWriter, head: string, continuation: string, items: string[]): void {
  w.write(LEVEL_0, head);
  if (items.length === 0) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  items.forEach((item, i) => {
    if (i > 0) w.write(LEVEL_0, continuation);
    w.write(LEVEL_0, `${item}\n`);
  });
}

/**
 * `Annotations:  key: value`, one per line. kubectl hides the last-applied configuration, and
 * breaks long or multi-line values onto indented lines, cut at 140 bytes.
 */
export function writeAnnotations(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== LAST_APPLIED)
    .sort(byteOrder);
  if (keys.length === 0) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i > 0) w.write(LEVEL_0, '\t');
    const value = annotations![key].replace(/\n$/, '');
    if (byteLength(value) + byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const line of value.split('\n')) w.write(LEVEL_0, `\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// Go slices strings by bytes; so does this.
function shorten(s: string, maxBytes: number): string {
  const bytes = Buffer.from(s, 'utf8');
  return bytes.length > maxBytes ? `${bytes.subarray(0, maxBytes).toString('utf8')}...` : s;
}

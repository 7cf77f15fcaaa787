// kubectl's describer for kinds without a dedicated one: every field of the object, as
// `Smart Label:  value` lines nested by level, keys sorted.
import { byteOrder } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels, type PrefixWriter } from './writer.js';

// Shown in the header already, or noise.
const SKIPPED = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

export const genericDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name ?? ''}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      writeFields(w, LEVEL_0, obj, '');
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function writeFields(w: PrefixWriter, level: number, content: Record<string, unknown>, path: string): void {
  for (const field of Object.keys(content).sort(byteOrder)) {
    const value = content[field];
    const fieldPath = `${path}.${field}`;
    if (SKIPPED.has(fieldPath)) continue;
    if (isMap(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      writeFields(w, level + 1, value, fieldPath);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (isMap(child)) writeFields(w, level + 1, child, fieldPath);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
    }
  }
}

/** `creationTimestamp` is `Creation Timestamp`, `apiVersion` is `API Version`; names with digits or punctuation stay as they are. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return splitCamelCase(field)
    .map((part) => (ACRONYMS.has(part.toUpperCase()) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join(' ');
}

// Runs of lower case, upper case, digits and other characters; an upper case letter followed
// by lower case starts a new word (`HTTPGet` is `HTTP`, `Get`).
function splitCamelCase(s: string): string[] {
  const classOf = (ch: string) => (/\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{Nd}/u.test(ch) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const ch of s) {
    const c = classOf(ch);
    if (c === last) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (classOf(runs[i][0]) === 2 && classOf(runs[i + 1][0]) === 1) runs[i + 1].unshift(runs[i].pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}

/** A JSON value as Go's `%v` prints it once decoded: `<nil>`, `[a b]`, `map[k:v]`, `1.5e+06`. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (isMap(value)) {
    return `map[${Object.keys(value)
      .sort(byteOrder)
      .map((k) => `${k}:${goValue(value[k])}`)
      .join(' ')}]`;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) return goFloat(value);
  return String(value);
}

// Go's shortest %g: exponent form below 1e-4 and from 1e6 on, with a two-digit exponent at least.
function goFloat(x: number): string {
  const [mantissa, exp] = x.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent >= -4 && exponent < 6) return String(x);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

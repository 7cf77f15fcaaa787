// How JSONPath results print, as Go prints them in kubectl: maps and lists as compact JSON,
// scalars with fmt.Sprint (`map[a:1]`, `<nil>`, floats as %v), and the %#v form kubectl shows the
// object in when a template fails.
import { marshalJson } from '../yaml-json.js';

/** A value found by the template: JSON, a float literal of the template, or a byte of a string walked with `*`. */
export type Value = unknown;

/** A float literal of the template (`1.0`), which Go keeps apart from integers when comparing. */
export class GoFloat {
  constructor(readonly value: number) {}
}

function plain(v: Value): unknown {
  return v instanceof GoFloat ? v.value : v;
}

export function isObject(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);
}

/** How one result prints: maps and lists as compact JSON, null as `null`, scalars as Go prints them. */
function resultText(value: Value): string {
  if (value === null || value === undefined || Array.isArray(value) || isObject(value)) return marshalJson(value ?? null);
  return goSprint(value);
}

/** Go's fmt.Sprint of a decoded JSON value: `map[a:1 b:[x y]]` for maps, `<nil>` for null. */
export function goSprint(value: Value): string {
  if (value === null || value === undefined) return '<nil>';
  if (value instanceof GoFloat) return goFloat(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  if (isObject(value)) {
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${goSprint(value[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}

/** Go's `%#v` of a decoded JSON value, as kubectl shows the object in template errors. */
export function goSyntax(value: Value): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${goQuote(k)}:${goSyntax(value[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return goSprint(value);
}

/** Go's `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e6 (`1.5e+06`). */
function goFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponent] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** Go's strconv.Quote. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** One action's results as `-o jsonpath` prints them: separated by spaces. */
export function formatResults(results: Value[]): string {
  return results.map(resultText).join(' ');
}

/** One action's results as `-o jsonpath-as-json` prints them: an indented JSON array. */
export function formatResultsAsJson(results: Value[]): string {
  return `${marshalJson(results.map(plain), '    ')}\n`;
}

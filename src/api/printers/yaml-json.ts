// `-o json` and `-o yaml` as kubectl prints them. kubectl handles objects as Go maps, so keys come
// out sorted (bytewise for JSON, by go-yaml's natural order for YAML), JSON escapes <, > and &, and
// YAML quotes strings the way go-yaml v2 does.
import { Document, Scalar, visit, type ScalarTag } from 'yaml';
import { stringTag, stringifyString } from 'yaml/util';
import { byteOrder } from './columns/labels.js';

/**
 * Go's json.Marshal (`indent` empty) or json.MarshalIndent(v, "", indent). Keys are sorted as Go
 * sorts a map's; `sortKeys` false keeps the order they were written in, as Go keeps a struct's
 * field order (what kubectl prints for an object it built itself, such as `create configmap`).
 */
export function marshalJson(value: unknown, indent = '', sortKeys = true): string {
  return encode(value, indent, '', sortKeys);
}

/** kubectl's `-o json`: 4-space indent and a final newline. */
export function toJson(value: unknown, sortKeys = true): string {
  return `${marshalJson(value, '    ', sortKeys)}\n`;
}

function encode(value: unknown, indent: string, prefix: string, sortKeys = true): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quoteJson(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = prefix + indent;
  const open = indent ? `\n${inner}` : '';
  const close = indent ? `\n${prefix}` : '';
  const separator = indent ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((v) => encode(v, indent, inner, sortKeys)).join(separator)}${close}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (sortKeys) keys.sort(byteOrder);
  if (keys.length === 0) return '{}';
  const colon = indent ? ': ' : ':';
  return `{${open}${keys.map((k) => `${quoteJson(k)}${colon}${encode(obj[k], indent, inner, sortKeys)}`).join(separator)}${close}}`;
}

/** Go's JSON string encoding: HTML-safe, \u00XX for other control characters. */
function quoteJson(text: string): string {
  return `"${text.replace(/[\u0000-\u001f"\\<>&\u2028\u2029]/g, (ch) => {
    switch (ch) {
      case '"':
        return '\\"';
      case '\\':
        return '\\\\';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  })}"`;
}

/**
 * kubectl's `-o yaml`: 2-space indent, list items level with their key, each string in the style
 * go-yaml v2 picks for it, and no folding of long lines.
 */
export function toYaml(value: unknown): string {
  const doc = new Document(sortForYaml(value), { customTags: (tags) => tags.map((t) => (t === stringTag ? goYamlString : t)) });
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value === 'string') node.type = goYamlStyle(node.value, key === 'key');
    },
  });
  return doc.toString({ indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0, singleQuote: true, blockQuote: 'literal' });
}

/** Strings as the yaml package writes them, except double-quoted ones, which take go-yaml's escapes. */
const goYamlString: ScalarTag = {
  ...stringTag,
  stringify: (item, ctx, onComment, onChompKeep) =>
    (item as Scalar).type === Scalar.QUOTE_DOUBLE ? goDoubleQuoted(String((item as Scalar).value)) : stringifyString(item, ctx, onComment, onChompKeep),
};

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** go-yaml's double-quoted scalar: printable characters as they are, the rest escaped (`\t`, `\U0001F600`). */
function goDoubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (isPrintable(ch) && !BREAKS.includes(ch) && ch !== '"' && ch !== '\\') {
      out += ch;
      continue;
    }
    const code = ch.codePointAt(0)!;
    const escape = DOUBLE_QUOTE_ESCAPES[ch];
    if (escape) out += `\\${escape}`;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}

type ScalarStyle = typeof Scalar.PLAIN | typeof Scalar.QUOTE_SINGLE | typeof Scalar.QUOTE_DOUBLE | typeof Scalar.BLOCK_LITERAL;

/**
 * go-yaml v2's choice: double quotes for text that would read back as another type ("123",
 * "true", "2024-01-02T03:04:05Z"); a literal block for several lines; else plain, falling back to
 * single then double quotes as the characters require.
 */
function goYamlStyle(text: string, isKey: boolean): ScalarStyle {
  if (resolvesAsNonString(text)) return Scalar.QUOTE_DOUBLE;
  const allowed = analyzeScalar(text);
  if (text.includes('\n')) return allowed.block && !isKey ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
  if (allowed.plain) return Scalar.PLAIN;
  return allowed.singleQuoted ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
}

const BREAKS = '\r\n\u0085\u2028\u2029';

/** go-yaml's printable set: no tab, no control characters, nothing outside the Basic Multilingual Plane. */
function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

/** Which block-context styles can carry the text (yaml_emitter_analyze_scalar). */
function analyzeScalar(text: string): { plain: boolean; singleQuoted: boolean; block: boolean } {
  if (text === '') return { plain: true, singleQuoted: true, block: false };
  const chars = [...text];
  let indicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leading = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  chars.forEach((ch, i) => {
    const last = i === chars.length - 1;
    const followedByWhitespace = last || chars[i + 1] === ' ' || chars[i + 1] === '\t';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) indicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) indicators = true;
    } else if ((ch === ':' && followedByWhitespace) || (ch === '#' && precededByWhitespace)) {
      indicators = true;
    }
    if (!isPrintable(ch)) special = true;
    if (ch === ' ') {
      if (i === 0) leading = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      lineBreaks = true;
      if (i === 0) leading = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = ch === ' ' || ch === '\t' || BREAKS.includes(ch);
  });
  return {
    plain: !(leading || trailingSpace || trailingBreak || breakSpace || spaceBreak || special || lineBreaks || indicators),
    singleQuoted: !(breakSpace || spaceBreak || special),
    block: !(trailingSpace || spaceBreak || special),
  };
}

function sortForYaml(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortForYaml);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort(yamlKeyOrder)) {
    if (obj[key] !== undefined) sorted[key] = sortForYaml(obj[key]);
  }
  return sorted;
}

const isLetter = (ch: string) => /\p{L}/u.test(ch);
const isDigit = (ch: string | undefined) => ch !== undefined && /\p{Nd}/u.test(ch);

/**
 * go-yaml v2's map key order: letters compare as runes, anything else sorts before a letter, and
 * runs of digits compare as numbers (`item9` before `item10`).
 */
export function yamlKeyOrder(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i] ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    // A zero continuing a number already under way is a digit like any other.
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i] < br[i] ? -1 : 1;
  }
  return ar.length - br.length;
}

const YAML11_KEYWORDS = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'],
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'],
  ...['', '~', 'null', 'Null', 'NULL', '<<'],
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
]);
const INTEGER = /^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// Sexagesimal floats (`1:20`) are YAML 1.1 too, and go-yaml quotes them.
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(([Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2}))|( \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?))?$/;

/** Whether go-yaml v2 would read this plain text as a bool, null, number or timestamp. */
function resolvesAsNonString(text: string): boolean {
  if (YAML11_KEYWORDS.has(text)) return true;
  if (!/^[-+.0-9]/.test(text)) return false;
  const digits = text.replaceAll('_', '');
  return TIMESTAMP.test(text) || BASE60_FLOAT.test(text) || INTEGER.test(digits) || FLOAT.test(digits);
}

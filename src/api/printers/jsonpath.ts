// kubectl's JSONPath template dialect (k8s.io/client-go/util/jsonpath): `{.items[*].metadata.name}`,
// `{range .items[*]}{.metadata.name}{"\n"}{end}`, filters `[?(@.status.phase=="Running")]`, `..`,
// slices, unions and literal text. Values are JSON as decoded from the API (objects, arrays,
// strings, numbers, booleans, null); integral numbers behave as Go's int64, others as float64.
import { marshalJson } from './yaml-json.js';

type Node =
  | ListNode
  | { type: 'text'; text: string }
  | { type: 'field'; name: string }
  | { type: 'identifier'; name: string }
  | { type: 'number'; value: number; float: boolean }
  | { type: 'bool'; value: boolean }
  | { type: 'array'; params: [SliceParam, SliceParam, SliceParam] }
  | { type: 'filter'; left: ListNode; right: ListNode; operator: string }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'union'; nodes: ListNode[] };

interface ListNode {
  type: 'list';
  nodes: Node[];
}

interface SliceParam {
  value: number;
  known: boolean;
  /** The end of a single index `[i]`, which is `i+1`. */
  derived: boolean;
}

/** A template error at execution, carrying kubectl's wording (`foo is not found`). */
export class JsonPathError extends Error {}

const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/;
const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;

/** Parses a template as client-go's jsonpath parser does; throws with its messages (`unclosed action`). */
function parseJsonPath(template: string): ListNode {
  return new Parser(template).parse();
}

class Parser {
  private readonly root: ListNode = { type: 'list', nodes: [] };
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText(this.root);
    return this.root;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  /** The next code point, or undefined at the end. */
  private next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return undefined;
    }
    const ch = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = ch.length;
    this.pos += this.width;
    return ch;
  }

  private peek(): string | undefined {
    const ch = this.next();
    this.pos -= this.width;
    return ch;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): void {
    const brace = this.input.indexOf('{', this.pos);
    this.pos = brace < 0 ? this.input.length : brace;
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
    if (brace < 0) return;
    // The left delimiter opens an action: a list of its own in the root.
    this.pos += 1;
    this.consumeText();
    const action: ListNode = { type: 'list', nodes: [] };
    cur.nodes.push(action);
    this.parseInsideAction(action);
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        this.parseText(this.root);
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === undefined || r === '\r' || r === '\n') throw new Error('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        // `@` and `$` name the current object, which is where evaluation already is.
        this.consumeText();
      } else if (r === '[') {
        this.parseArray(cur);
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r);
      } else if (r === '.') {
        this.parseField(cur);
      } else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        throw new Error(`unrecognized character in action: ${describeRune(r)}`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    let r: string | undefined;
    do r = this.next();
    while (!isTerminator(r));
    this.backup();
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.type === 'recursive') throw new Error('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    const r = this.peek();
    if (r !== undefined && isAlphaNumeric(r)) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const sign = this.peek();
    if (sign === '+' || sign === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r !== '.' && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?\d+$/.test(value)) cur.nodes.push({ type: 'number', value: Number(value), float: false });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ type: 'number', value: Number(value), float: true });
    else throw new Error(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new Error('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';

    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({ type: 'union', nodes: parts.map((part) => parseAction(`[${part.replace(/^ +| +$/g, '')}]`)) });
      return;
    }
    const key = DICT_KEY.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }
    const slice = SLICE.exec(text);
    if (!slice) throw new Error(`invalid array index ${text}`);
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      const raw = i === 0 ? slice[1] : slice[i + 1]?.slice(1);
      if (slice[i + 1]) {
        if (raw !== '' && !/^-?\d+$/.test(raw)) throw new Error(`array index ${raw} is not a number`);
        params.push(raw === '' ? { value: 0, known: false, derived: false } : { value: Number(raw), known: true, derived: false });
      } else if (i === 1) {
        params.push({ value: params[0].value + 1, known: true, derived: true });
      } else {
        params.push({ value: 0, known: false, derived: false });
      }
    }
    cur.nodes.push({ type: 'array', params: params as [SliceParam, SliceParam, SliceParam] });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let quoted = false;
    let closed = false;
    let quote = '';
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new Error('unterminated filter');
      if (r === '"' || r === "'") {
        if (!quoted) {
          quoted = true;
          quote = r;
        } else if (this.input[this.pos - 2] !== '\\' && r === quote) {
          closed = true;
        }
      } else if (r === ')' && quoted === closed) {
        break;
      }
    }
    if (this.next() !== ']') throw new Error('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const parts = FILTER.exec(text);
    if (!parts) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, operator: 'exists' });
    } else {
      cur.nodes.push({ type: 'filter', left: parseAction(parts[1]), right: parseAction(parts[3]), operator: parts[2] });
    }
  }

  private parseQuote(cur: ListNode, quote: string): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new Error('unterminated quoted string');
      if (r === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    cur.nodes.push({ type: 'text', text: unquote(value) });
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        this.next();
      } else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    // `\.` escapes a dot inside a key: `{.metadata.labels.app\.kubernetes\.io/name}`.
    cur.nodes.push(value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') });
  }
}

/** Parses the inside of one action, as a list (for unions, filters and `['key']`). */
function parseAction(text: string): ListNode {
  return parseJsonPath(`{${text}}`).nodes[0] as ListNode;
}

function isTerminator(r: string | undefined): boolean {
  return r === undefined || ' \t\r\n.,[]$@{}'.includes(r);
}

function isDigit(r: string | undefined): boolean {
  return r !== undefined && /^\p{Nd}$/u.test(r);
}

function isAlphaNumeric(r: string): boolean {
  return /^[\p{L}\p{Nd}_]$/u.test(r);
}

/** Go's `%#U`: `U+0023 '#'`. */
function describeRune(r: string): string {
  return `U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}

/** A double- or single-quoted literal with Go escapes (`"\t"`, `"\n"`, `'it\'s'`). */
function unquote(quoted: string): string {
  const quote = quoted[0];
  const body = quoted.slice(1, -1);
  if (quoted.length < 2 || quoted.at(-1) !== quote) throw new Error(`unquote string ${quoted} error invalid syntax`);
  const escapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === quote) throw new Error(`unquote string ${quoted} error invalid syntax`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    if (e !== undefined && e in escapes && (e !== "'" || quote === "'") && (e !== '"' || quote === '"')) {
      out += escapes[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error(`unquote string ${quoted} error invalid syntax`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error(`unquote string ${quoted} error invalid syntax`);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else {
      throw new Error(`unquote string ${quoted} error invalid syntax`);
    }
  }
  return out;
}

/** A value found by the template: JSON, or a byte of a string walked with `*`. */
type Value = unknown;

/** Missing keys: kubectl prints nothing for them by default (`--allow-missing-template-keys=true`). */
export interface JsonPathOptions {
  allowMissingKeys?: boolean;
}

/** A parsed template, evaluated as client-go's JSONPath: one result list per action or text. */
export class JsonPath {
  private readonly root: ListNode;
  private readonly allowMissingKeys: boolean;
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEnd: Node | undefined;

  constructor(template: string, opts: JsonPathOptions = {}) {
    this.root = parseJsonPath(template);
    this.allowMissingKeys = opts.allowMissingKeys ?? false;
  }

  findResults(data: unknown): Value[][] {
    this.beginRange = this.inRange = this.endRange = 0;
    return this.find(this.root.nodes, data);
  }

  /** The template's text: results of one action joined by spaces; maps and lists as compact JSON. */
  execute(data: unknown): string {
    return this.findResults(data)
      .map((results) => results.map(resultText).join(' '))
      .join('');
  }

  /** `jsonpath-as-json`: each action's results as an indented JSON array. */
  executeAsJson(data: unknown): string {
    return this.findResults(data)
      .map((results) => `${marshalJson(results.map(plain), '    ')}\n`)
      .join('');
  }

  private find(nodes: Node[], data: unknown): Value[][] {
    const full: Value[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk([data], nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEnd = nodes[i];
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        const body = nodes.slice(i + 1);
        // With nothing to range over, the body is still walked (on nothing) to find its {end}.
        for (const value of results.length > 0 ? results : [undefined]) {
          const inner = this.find(body, value);
          if (results.length > 0) full.push(...inner);
        }
        this.inRange--;
        const end = body.indexOf(this.lastEnd!);
        if (end >= 0) i += end + 1;
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: Node): Value[] {
    switch (node.type) {
      case 'list':
        return node.nodes.reduce((values, child) => this.walk(values, child), input);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'number':
        return input.map(() => (node.float ? new GoFloat(node.value) : node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap(children);
      case 'recursive':
        return input.flatMap(descendants);
      case 'union':
        return node.nodes.flatMap((list) => this.walk(input, list));
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange === 0) throw new JsonPathError('not in range, nothing to end');
      this.endRange++;
      return [];
    }
    throw new JsonPathError(`unrecognized identifier ${name}`);
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return [];
    const results = input.filter(isObject).filter((v) => Object.hasOwn(v, name)).map((v) => v[name]);
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
    return results;
  }

  private evalFilter(input: Value[], node: Extract<Node, { type: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) throw new JsonPathError(`${goSprint(value)} is not array or slice and cannot be filtered`);
      for (const item of value) {
        let lefts: Value[];
        try {
          lefts = this.walk([item], node.left);
        } catch (err) {
          if (node.operator === 'exists') continue;
          throw err;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.operator)) results.push(item);
      }
    }
    return results;
  }
}

/** A float literal of the template (`1.0`), which Go keeps apart from integers when comparing. */
class GoFloat {
  constructor(readonly value: number) {}
}

function plain(v: Value): unknown {
  return v instanceof GoFloat ? v.value : v;
}

function isObject(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat);
}

function goTypeName(v: Value): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (v instanceof GoFloat) return 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

function evalArray(input: Value[], params: [SliceParam, SliceParam, SliceParam]): Value[] {
  const result: Value[] = [];
  for (const value of input) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) throw new JsonPathError(`${goTypeName(value)} is not array or slice`);
    const length = value.length;
    let start = params[0].known ? params[0].value : 0;
    if (start < 0) start += length;
    let end = params[1].known ? params[1].value : length;
    if (end < 0 || (end === 0 && params[1].derived)) end += length;
    // Asking for no elements is always fine.
    if (start === end) return result;
    if (start >= length || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${length}`);
    if (end > length || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${length}`);
    if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
    let step = 1;
    if (params[2].known) {
      if (params[2].value <= 0) throw new JsonPathError('step must be > 0');
      step = params[2].value;
    }
    for (let i = start; i < end; i += step) result.push(value[i]);
  }
  return result;
}

/** What `*` yields: an object's values (keys sorted; Go's order is random), array items, a string's bytes. */
function children(value: Value): Value[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.keys(value).sort().map((k) => value[k]);
  if (typeof value === 'string') return [...Buffer.from(value, 'utf8')];
  return [];
}

/** What `..` yields: the value and every nested value that itself has children, depth first. */
function descendants(value: Value): Value[] {
  const kids = children(value);
  if (kids.length === 0) return [];
  return [value, ...kids.flatMap(descendants)];
}

type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: Value): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'string') return 'string';
  throw new JsonPathError('invalid type for comparison');
}

function numeric(v: Value): number {
  return v instanceof GoFloat ? v.value : (v as number);
}

/** Go template comparison: same basic kinds only; booleans compare for equality only. */
function compare(left: Value, right: Value, operator: string): boolean {
  const kind = basicKind(left);
  if (kind !== basicKind(right)) throw new JsonPathError('incompatible types for comparison');
  const a = kind === 'int' || kind === 'float' ? numeric(left) : left;
  const b = kind === 'int' || kind === 'float' ? numeric(right) : right;
  const ordered = () => {
    if (kind === 'bool') throw new JsonPathError('invalid type for comparison');
    return (a as number | string) < (b as number | string);
  };
  switch (operator) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return ordered();
    case '>':
      return !(ordered() || a === b);
    case '<=':
      return ordered() || a === b;
    case '>=':
      return !ordered();
    default:
      throw new JsonPathError(`unrecognized filter operator ${operator}`);
  }
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
function goSyntax(value: Value): string {
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
function goQuote(text: string): string {
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

/**
 * What kubectl's `-o jsonpath=` prints for `data`. Missing keys print nothing unless
 * `allowMissingKeys` is false; failures carry kubectl's message, with the template and the object.
 */
export function printJsonPath(template: string, data: unknown, opts: JsonPathOptions & { asJson?: boolean } = {}): string {
  let path: JsonPath;
  try {
    path = new JsonPath(template, { allowMissingKeys: opts.allowMissingKeys ?? true });
  } catch (err) {
    throw new JsonPathError(`error parsing jsonpath ${template}, ${(err as Error).message}`);
  }
  try {
    return opts.asJson ? path.executeAsJson(data) : path.execute(data);
  } catch (err) {
    if (!(err instanceof JsonPathError)) throw err;
    throw new JsonPathError(
      `error executing jsonpath ${goQuote(template)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template}\n` +
        `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`,
    );
  }
}

/**
 * kubectl's relaxed path for --sort-by and custom columns: `.a.b`, `a.b`, `{.a.b}` and `{a.b}`
 * all become the template `{.a.b}`.
 */
export function relaxedJsonPathExpression(expression: string): string {
  if (expression === '') return expression;
  const match = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expression);
  if (!match) {
    throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  }
  return `{.${match[1] ?? match[2]}}`;
}

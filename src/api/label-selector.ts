// Label selectors with the semantics of Kubernetes' k8s.io/apimachinery/pkg/labels: the string form
// (`?labelSelector=`, `kubectl -l`) and the structured form found in specs (matchLabels and
// matchExpressions). Error messages are Kubernetes' own, because the daemon returns them verbatim
// in a 400 BadRequest and kubectl users recognise them.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { isQualifiedName, isValidLabelValue } from './validation/names.js';

export type Labels = Readonly<Record<string, string>>;

/** Kubernetes' selection.Operator values. */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export class Selector {
  private constructor(
    readonly requirements: readonly LabelRequirement[],
    private readonly selectsAnything: boolean,
  ) {}

  static everything(): Selector {
    return new Selector([], true);
  }

  /** What a missing (null) selector object means in Kubernetes: it selects nothing at all. */
  static nothing(): Selector {
    return new Selector([], false);
  }

  /** Requirements are kept sorted by key, as Kubernetes does, so toString() is canonical. */
  static of(requirements: readonly LabelRequirement[]): Selector {
    return new Selector(
      [...requirements].sort((a, b) => compareStrings(a.key, b.key)),
      true,
    );
  }

  /** True when the selector does not restrict anything (matches every object). */
  get empty(): boolean {
    return this.selectsAnything && this.requirements.length === 0;
  }

  matches(labels: Labels | undefined): boolean {
    if (!this.selectsAnything) return false;
    const set = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, set));
  }

  /** Kubernetes' canonical form, as the SELECTOR column of `kubectl get rs -o wide` prints it. */
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value!);
      const bound = parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const INT64 = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64): an optional sign, decimal digits, within int64. */
function parseInt64(text: string): bigint | undefined {
  if (!INT64.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

function requirementToString(r: LabelRequirement): string {
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(compareStrings).join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${values})`;
    case 'notin':
      return `${r.key} notin (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

/** Byte-wise order, as Go's sort.Strings (the default JS sort uses the same code-unit order). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- Requirements -----------------------------------------------------------------------------

/** field.Invalid(...).Error(): `<path>: Invalid value: <value>: <detail>`. */
function invalidField(path: string, shownValue: string, detail: string): string {
  return `${path}: Invalid value: ${shownValue}: ${detail}`;
}

/** How Go's %#v prints a []string, which is how Kubernetes shows a bad value list. */
function goStringSlice(values: readonly string[]): string {
  return values.length === 0 ? '[]string(nil)' : `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** An aggregate of field errors reads as the single message, or `[a, b]` for several. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * Kubernetes' NewRequirement: checks the key, the number of values the operator takes and each
 * value, and reports every problem at once.
 */
export function newRequirement(key: string, operator: SelectorOperator, values: readonly string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalidField('key', JSON.stringify(key), keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errs.push(invalidField('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errs.push(invalidField('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errs.push(invalidField('values', goStringSlice(values), 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errs.push(invalidField('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalidField(`values[${i}]`, JSON.stringify(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(invalidField(`values[${i}][${key}]`, JSON.stringify(v), valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new Error(aggregate(errs));
  return { key, operator, values: [...values] };
}

// ---- The string form --------------------------------------------------------------------------

type TokenKind =
  | 'end'
  | 'identifier'
  | 'openPar'
  | 'closePar'
  | 'comma'
  | 'not'
  | 'equals'
  | 'doubleEquals'
  | 'notEquals'
  | 'in'
  | 'notin'
  | 'gt'
  | 'lt';

interface Token {
  kind: TokenKind;
  literal: string;
}

const SYMBOL_TOKENS: Record<string, TokenKind> = {
  '(': 'openPar',
  ')': 'closePar',
  ',': 'comma',
  '!': 'not',
  '=': 'equals',
  '==': 'doubleEquals',
  '!=': 'notEquals',
  '>': 'gt',
  '<': 'lt',
};
const KEYWORD_TOKENS: Record<string, TokenKind> = { in: 'in', notin: 'notin' };
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && WHITESPACE.has(text[pos])) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    if (SPECIAL.has(text[pos])) {
      // The longest run of symbols that is an operator; only `==` and `!=` are two characters.
      const pair = text.slice(pos, pos + 2);
      const literal = SYMBOL_TOKENS[pair] ? pair : text[pos];
      tokens.push({ kind: SYMBOL_TOKENS[literal], literal });
      pos += literal.length;
      continue;
    }
    const start = pos;
    while (pos < text.length && !SPECIAL.has(text[pos]) && !WHITESPACE.has(text[pos])) pos++;
    const literal = text.slice(start, pos);
    tokens.push({ kind: KEYWORD_TOKENS[literal] ?? 'identifier', literal });
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/**
 * A recursive-descent parser mirroring Kubernetes' (labels.Parse). `in` and `notin` are keywords
 * only where an operator is expected, so `in in (in)` is a valid selector.
 */
class SelectorParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  /** Keywords read as identifiers wherever a key or value may stand. */
  private peek(asValue: boolean): Token {
    return this.asContext(this.tokens[this.position], asValue);
  }

  private next(asValue: boolean): Token {
    return this.asContext(this.tokens[this.position++], asValue);
  }

  private asContext(token: Token, asValue: boolean): Token {
    return asValue && (token.kind === 'in' || token.kind === 'notin') ? { kind: 'identifier', literal: token.literal } : token;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.peek(true);
      if (token.kind === 'end') return requirements;
      if (token.kind !== 'identifier' && token.kind !== 'not') {
        throw new Error(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const after = this.next(true);
      if (after.kind === 'end') return requirements;
      if (after.kind !== 'comma') throw new Error(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.kind !== 'identifier' && following.kind !== 'not') {
        throw new Error(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let token = this.next(true);
    const negated = token.kind === 'not';
    if (negated) token = this.next(true);
    if (token.kind !== 'identifier') throw new Error(`found '${token.literal}', expected: identifier`);
    const key = token.literal;
    const keyErrs = isQualifiedName(key);
    // Kubernetes validates the key here without a field path, hence its "<nil>".
    if (keyErrs.length > 0) throw new Error(invalidField('<nil>', JSON.stringify(key), keyErrs.join('; ')));
    const following = this.peek(true).kind;
    if (negated) return newRequirement(key, '!', []);
    if (following === 'end' || following === 'comma') return newRequirement(key, 'exists', []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValueSet() : this.parseExactValue();
    return newRequirement(key, operator, values);
  }

  private parseOperator(): SelectorOperator {
    const token = this.next(false);
    switch (token.kind) {
      case 'in':
        return 'in';
      case 'notin':
        return 'notin';
      case 'equals':
        return '=';
      case 'doubleEquals':
        return '==';
      case 'notEquals':
        return '!=';
      case 'gt':
        return 'gt';
      case 'lt':
        return 'lt';
      default:
        throw new Error(`found '${token.literal}', expected: ${BINARY_OPERATORS}`);
    }
  }

  /** `(a,b,,c)`: a sorted set; empty entries stand for the empty value. */
  private parseValueSet(): string[] {
    const open = this.next(true);
    if (open.kind !== 'openPar') throw new Error(`found '${open.literal}' expected: '('`);
    const first = this.peek(true);
    if (first.kind === 'closePar') {
      this.next(true);
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== 'comma') {
      throw new Error(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseValueList();
    // Kubernetes reports the token that opened the list here, a quirk kept for identical messages.
    if (this.next(true).kind !== 'closePar') throw new Error(`found '${first.literal}', expected: ')'`);
    return [...values].sort(compareStrings);
  }

  private parseValueList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const token = this.next(true);
      if (token.kind === 'identifier') {
        values.add(token.literal);
        const following = this.peek(true);
        if (following.kind === 'comma') continue;
        if (following.kind === 'closePar') return values;
        throw new Error(`found '${following.literal}', expected: ',' or ')'`);
      }
      if (token.kind !== 'comma') throw new Error(`found '${token.literal}', expected: ',', or identifier`);
      // A comma next to a parenthesis or another comma leaves an empty value between them.
      if (values.size === 0) values.add('');
      const following = this.peek(true).kind;
      if (following === 'closePar') {
        values.add('');
        return values;
      }
      if (following === 'comma') values.add('');
    }
  }

  private parseExactValue(): string[] {
    const following = this.peek(true).kind;
    if (following === 'end' || following === 'comma') return [''];
    const token = this.next(true);
    if (token.kind !== 'identifier') throw new Error(`found '${token.literal}', expected: identifier`);
    return [token.literal];
  }
}

/** Parses the string form: `app=web,tier in (a,b),!canary`. An empty string selects everything. */
export function parseLabelSelector(text: string): Selector {
  return Selector.of(new SelectorParser(tokenize(text)).parse());
}

const EXPRESSION_OPERATORS: Record<string, SelectorOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Kubernetes' LabelSelectorAsSelector: a null selector object selects nothing, an empty one
 * selects everything; matchLabels entries become `key=value` requirements.
 */
export function labelSelectorAsSelector(selector: LabelSelector | null | undefined): Selector {
  if (selector === null || selector === undefined) return Selector.nothing();
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return Selector.everything();
  const requirements = matchLabels.map(([key, value]) => newRequirement(key, '=', [value]));
  for (const expression of expressions) {
    const operator = EXPRESSION_OPERATORS[expression.operator];
    if (!operator) throw new Error(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(expression.key, operator, expression.values ?? []));
  }
  return Selector.of(requirements);
}

/** A selector object as kubectl prints it (SELECTOR column): canonical form, `<none>` or `<error>`. */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  try {
    return labelSelectorAsSelector(selector).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/**
 * An equality-only selector from a plain map, as ReplicationController's `spec.selector` and
 * Service's `spec.selector` are (Kubernetes' SelectorFromSet: no validation; empty selects everything).
 */
export function labelSelectorFromSet(set: Labels | null | undefined): Selector {
  return Selector.of(Object.entries(set ?? {}).map(([key, value]) => ({ key, operator: '=', values: [value] })));
}

// The evaluator of parsed JSONPath templates, as client-go's util/jsonpath: fields, indexes and
// slices, filters compared as Go's templates compare, unions, `..`, `*`, range/end; integral
// numbers behave as Go's int64, others as float64; failures carry kubectl's wording.
import { parseJsonPath, type ListNode, type Node, type SliceParam } from './parser.js';
import { GoFloat, formatResults, formatResultsAsJson, goSprint, isObject, type Value } from './formatting.js';

/** A template error at execution, carrying kubectl's wording (`foo is not found`). */
export class JsonPathError extends Error {}

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
    return this.findResults(data).map(formatResults).join('');
  }

  /** `jsonpath-as-json`: each action's results as an indented JSON array. */
  executeAsJson(data: unknown): string {
    return this.findResults(data).map(formatResultsAsJson).join('');
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

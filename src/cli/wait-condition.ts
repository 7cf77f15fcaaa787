// kubectl wait's --for: `delete`, `create`, `condition=Type[=value]` and
// `jsonpath={expr}[=value]`, parsed into a check of one object, with kubectl's wording.
import type { KubeObject } from '../api/types.js';
import { CliError } from './errors.js';
import { JsonPath, goSprint, relaxedJsonPathExpression } from '../api/printers/jsonpath.js';

export type WaitFor =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'jsonpath'; expression: string; value?: string };

export function parseWaitFor(spec: string): WaitFor {
  const lower = spec.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower === 'create') return { kind: 'create' };
  if (lower.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = eq < 0 ? rest : rest.slice(0, eq);
    if (!type) throw new CliError(`unrecognized condition: "${spec}"`);
    return { kind: 'condition', type, value: eq < 0 ? 'true' : rest.slice(eq + 1) };
  }
  if (lower.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    const eq = splitAt(rest);
    const expression = eq < 0 ? rest : rest.slice(0, eq);
    if (!expression) throw new CliError('jsonpath expression cannot be empty');
    let template: string;
    try {
      template = relaxedJsonPathExpression(expression);
      new JsonPath(template);
    } catch (err) {
      throw new CliError(`unrecognized jsonpath expression "${expression}": ${(err as Error).message}`);
    }
    if (eq < 0) return { kind: 'jsonpath', expression: template };
    const value = rest.slice(eq + 1);
    if (!value) throw new CliError('jsonpath wait value cannot be empty');
    return { kind: 'jsonpath', expression: template, value };
  }
  throw new CliError(`unrecognized condition: "${spec}"`);
}

/** The `=` that ends the expression: the first outside braces, brackets and quotes. */
function splitAt(text: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '=' && depth === 0) return i;
  }
  return -1;
}

/** How the wait reads in progress lines: `condition=Complete`. */
export function describeWaitFor(w: WaitFor): string {
  switch (w.kind) {
    case 'condition':
      return `condition=${w.type}${w.value.toLowerCase() === 'true' ? '' : `=${w.value}`}`;
    case 'jsonpath':
      return `jsonpath=${w.expression}${w.value === undefined ? '' : `=${w.value}`}`;
    default:
      return w.kind;
  }
}

/**
 * Whether an existing object meets a condition or jsonpath wait. Condition types and values compare
 * without case, and a condition observed for an older generation does not count, as in kubectl.
 * Throws kubectl's error for a jsonpath that does not lead to one plain value.
 */
export function isMet(w: WaitFor, obj: KubeObject): boolean {
  if (w.kind === 'create') return true;
  if (w.kind === 'delete') return false;
  if (w.kind === 'condition') {
    const conditions: Array<{ type?: string; status?: string; observedGeneration?: number }> = (obj as any).status?.conditions ?? [];
    const c = conditions.find((c) => c.type?.toLowerCase() === w.type.toLowerCase());
    if (!c || c.status?.toLowerCase() !== w.value.toLowerCase()) return false;
    return c.observedGeneration === undefined || obj.metadata.generation === undefined || c.observedGeneration >= obj.metadata.generation;
  }
  const results = new JsonPath(w.expression, { allowMissingKeys: true }).findResults(obj);
  if (results.length === 0 || results[0].length === 0) return false;
  if (results.length > 1) throw new CliError('given jsonpath expression matches more than one list');
  if (results[0].length > 1) throw new CliError('given jsonpath expression matches more than one value');
  const value = results[0][0];
  // Maps and lists are plain JSON; numbers the parser wraps (floats) are not.
  if (Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
    throw new CliError('jsonpath leads to a nested object or list which is not supported');
  }
  return w.value === undefined || goSprint(value) === w.value;
}

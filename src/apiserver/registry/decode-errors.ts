// Bodies Kubernetes refuses before validation, while decoding them into its Go types: a number out
// of an int32/int64 field's range, a quantity that does not parse, JSON nested too deep. They are
// 400s worded as the API server words them:
//   Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number
//   2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32
import { ApiError, errors } from '../../api/errors.js';

const INT_RANGES = {
  int32: { min: -(2 ** 31), max: 2 ** 31 - 1 },
  // Past 2^53 a JSON number is no longer exact here; Kubernetes' own clients keep int64s below it too.
  int64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
};

export type IntType = keyof typeof INT_RANGES;

/**
 * How deep a body may nest. Kubernetes' decoder stops at 10,000 levels; the deepest object it serves
 * nests about 20, and recursion over deeper input would exhaust the stack here first.
 */
export const MAX_NESTING_DEPTH = 1000;

export function cannotDecode(kind: string, version: string, detail: string): ApiError {
  return errors.badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`);
}

/** Go's json error for a value that does not fit an integer field; undefined when it fits (or is unset). */
export function integerError(value: unknown, goField: string, type: IntType): string | undefined {
  if (value === undefined || value === null) return undefined;
  const { min, max } = INT_RANGES[type];
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  const into = `into Go struct field ${goField} of type ${type}`;
  if (typeof value !== 'number') return `json: cannot unmarshal ${jsonTypeName(value)} ${into}`;
  return `json: cannot unmarshal number ${goNumber(value)} ${into}`;
}

export function int32Error(value: unknown, goField: string): string | undefined {
  return integerError(value, goField, 'int32');
}

function jsonTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? 'array' : 'object';
}

/** Numbers as they appeared in JSON (1e+99 prints as Go's decoder quotes the literal: 1e99). */
function goNumber(n: number): string {
  return String(n).replace('e+', 'e');
}

/**
 * What is wrong with a body's shape before it is decoded: nested deeper than max, or a member named
 * `__proto__`, which no Kubernetes type has and which JavaScript would take for the prototype.
 * Iterative, so depth cannot hurt it.
 */
export function bodyShapeError(value: unknown, max: number): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Array<[unknown, string, number]> = [[value, '', 1]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (depth > max) return `exceeded max depth of ${max}`;
    for (const key of Object.keys(v as object)) {
      const child = (v as Record<string, unknown>)[key];
      // Every write's body is checked: a path is spelled out only where it is needed.
      if (key === '__proto__') return `strict decoding error: unknown field "${path ? `${path}.${key}` : key}"`;
      if (child !== null && typeof child === 'object') stack.push([child, path ? `${path}.${key}` : key, depth + 1]);
    }
  }
  return undefined;
}

/** A body nested too deep or with a `__proto__` member, refused before anything walks it. */
export function checkBodyShape(value: unknown): void {
  const error = bodyShapeError(value, MAX_NESTING_DEPTH);
  if (error) throw errors.badRequest(`the request body cannot be decoded: ${error}`);
}

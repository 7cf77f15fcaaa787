// JSON Patch (RFC 6902), the `application/json-patch+json` patch type, over JSON Pointers
// (RFC 6901). Operations apply in order to a copy of the document; the first failure aborts the
// whole patch. A malformed patch is a 400 BadRequest, a patch that does not apply a 422 (reason
// Invalid), as in Kubernetes. Messages follow the evanphx/json-patch library Kubernetes uses.
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../errors.js';
import { isJsonObject, type JsonObject } from './merge-patch.js';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

const malformed = (message: string) => new ApiError('BadRequest', message);
const notApplicable = (message: string) => new ApiError('Invalid', message);

/** Checks the shape of a decoded patch document before anything is applied. */
function decodePatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) {
    throw malformed(`json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type jsonpatch.Patch`);
  }
  return patch.map((op) => {
    if (!isJsonObject(op)) throw malformed(`json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`);
    const kind = op.op;
    if (typeof kind !== 'string' || !OPS.has(kind)) throw malformed(`Unexpected kind: ${typeof kind === 'string' ? kind : 'unknown'}`);
    if (typeof op.path !== 'string') throw malformed(`${kind} operation failed to decode path: missing value`);
    if ((kind === 'move' || kind === 'copy') && typeof op.from !== 'string') {
      throw malformed(`${kind} operation failed to decode from: missing value`);
    }
    if ((kind === 'add' || kind === 'replace' || kind === 'test') && !('value' in op)) {
      throw malformed(`${kind} operation, missing value field: missing value`);
    }
    return op as JsonPatchOperation;
  });
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** `/a/b~1c` -> ['a', 'b/c']; '' is the whole document. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw malformed(`invalid JSON pointer ${JSON.stringify(pointer)}: it must be empty or start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) throw malformed(`invalid JSON pointer ${JSON.stringify(pointer)}: '~' must be escaped as '~0'`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

type Container = JsonObject | unknown[];

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

function invalidIndex(token: string): ApiError {
  return notApplicable(`Unable to access invalid index: ${token}: invalid index referenced`);
}

/** An existing element's index in `array`, or an error naming the bad token. */
function existingIndex(array: unknown[], token: string): number {
  if (!ARRAY_INDEX.test(token) || Number(token) >= array.length) throw invalidIndex(token);
  return Number(token);
}

function hasChild(container: Container, token: string): boolean {
  if (Array.isArray(container)) return ARRAY_INDEX.test(token) && Number(token) < container.length;
  return Object.prototype.hasOwnProperty.call(container, token);
}

function childOf(container: Container, token: string): unknown {
  return Array.isArray(container) ? container[Number(token)] : container[token];
}

/** The container holding the last token of `tokens`, or undefined when a step on the way is missing. */
function findParent(doc: unknown, tokens: string[]): Container | undefined {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (!(Array.isArray(node) || isJsonObject(node)) || !hasChild(node, token)) return undefined;
    node = childOf(node, token);
  }
  return Array.isArray(node) || isJsonObject(node) ? node : undefined;
}

/** `role` says which pointer of the operation failed: its `path`, or the `from path` of move and copy. */
function missingPath(op: string, path: string, role = 'path'): ApiError {
  return notApplicable(`${op} operation does not apply: doc is missing ${role}: ${JSON.stringify(path)}: missing value`);
}

/** Holds the document being patched, so that an add or replace at '' can swap the root. */
class Document {
  constructor(public root: unknown) {}

  get(op: string, path: string, role?: string): unknown {
    const tokens = parsePointer(path);
    if (tokens.length === 0) return this.root;
    const parent = findParent(this.root, tokens);
    const key = tokens[tokens.length - 1];
    if (!parent || !hasChild(parent, key)) throw missingPath(op, path, role);
    return childOf(parent, key);
  }

  add(path: string, value: unknown): void {
    const tokens = parsePointer(path);
    if (tokens.length === 0) {
      this.root = value;
      return;
    }
    const parent = findParent(this.root, tokens);
    if (!parent) throw missingPath('add', path);
    const key = tokens[tokens.length - 1];
    if (!Array.isArray(parent)) {
      // A member, never the prototype, even when it is called __proto__.
      Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
      return;
    }
    if (key === '-') {
      parent.push(value);
      return;
    }
    // One past the end is a valid insertion point.
    if (!ARRAY_INDEX.test(key) || Number(key) > parent.length) throw invalidIndex(key);
    parent.splice(Number(key), 0, value);
  }

  remove(op: string, path: string): unknown {
    const tokens = parsePointer(path);
    if (tokens.length === 0) throw notApplicable(`${op} operation does not apply: the document root cannot be removed`);
    const parent = findParent(this.root, tokens);
    if (!parent) throw missingPath(op, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) return parent.splice(existingIndex(parent, key), 1)[0];
    if (!hasChild(parent, key)) {
      throw notApplicable(`error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
    }
    const value = parent[key];
    delete parent[key];
    return value;
  }

  replace(path: string, value: unknown): void {
    const tokens = parsePointer(path);
    if (tokens.length === 0) {
      this.root = value;
      return;
    }
    const parent = findParent(this.root, tokens);
    if (!parent) throw missingPath('replace', path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      parent[existingIndex(parent, key)] = value;
      return;
    }
    if (!hasChild(parent, key)) throw notApplicable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[key] = value;
  }
}

function isProperPrefix(prefix: string, path: string): boolean {
  return path.startsWith(`${prefix}/`);
}

/** Returns the patched document; the argument is not modified. */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  const operations = decodePatch(patch);
  const doc = new Document(structuredClone(document));
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
        doc.add(operation.path, structuredClone(operation.value));
        break;
      case 'remove':
        doc.remove('remove', operation.path);
        break;
      case 'replace':
        doc.replace(operation.path, structuredClone(operation.value));
        break;
      case 'move': {
        if (isProperPrefix(operation.from, operation.path)) {
          throw notApplicable(`move operation does not apply: from path ${operation.from} is a prefix of path ${operation.path}`);
        }
        doc.get('move', operation.from, 'from path');
        doc.add(operation.path, doc.remove('move', operation.from));
        break;
      }
      case 'copy':
        doc.add(operation.path, structuredClone(doc.get('copy', operation.from, 'from path')));
        break;
      case 'test':
        if (!isDeepStrictEqual(doc.get('test', operation.path), operation.value)) {
          throw notApplicable(`testing value ${operation.path} failed: test failed`);
        }
        break;
    }
  }
  return doc.root;
}

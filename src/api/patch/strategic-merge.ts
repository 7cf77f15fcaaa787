// Strategic merge patch (`application/strategic-merge-patch+json`), what `kubectl apply`, `edit`
// and `patch` send for built-in kinds. Like a JSON merge patch, except that lists whose field has a
// merge strategy (./patch-merge-keys.ts) merge instead of being replaced, and that `$` directives
// steer the merge. Semantics follow Kubernetes' k8s.io/apimachinery/pkg/util/strategicpatch,
// including where items land in merged lists; every directive is consumed, none reaches the result.
import { ApiError } from '../errors.js';
import { isJsonObject, type JsonObject } from './merge-patch.js';
import { patchMetaFor, type PatchMeta } from './patch-merge-keys.js';

/** `$patch: replace | delete` on a map or a list item. (`merge` exists only as a struct tag.) */
export const DIRECTIVE_MARKER = '$patch';
/** `$retainKeys: [fields]` on a union type: fields not listed are cleared. */
export const RETAIN_KEYS = '$retainKeys';
/** `$deleteFromPrimitiveList/<field>: [values]` removes values from a merged primitive list. */
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
/** `$setElementOrder/<field>: [items or {mergeKey: value}]` fixes the order of a merged list. */
export const SET_ELEMENT_ORDER = '$setElementOrder/';

const badRequest = (message: string) => new ApiError('BadRequest', message);
const unprocessable = (message: string) => new ApiError('Invalid', message);

/** Whether the items of a list are objects (true) or primitives (false); mixed lists are errors. */
export function listHoldsObjects(items: readonly unknown[]): boolean {
  let objects: boolean | undefined;
  for (const item of items) {
    if (Array.isArray(item)) throw unprocessable('lists of lists are not supported');
    const isObject = isJsonObject(item);
    if (objects === undefined) objects = isObject;
    else if (objects !== isObject) throw badRequest(`list element types are not identical: ${JSON.stringify(items)}`);
  }
  return objects === true;
}

/** The merge key value of a list item, which every item of a keyed list must carry. */
export function mergeKeyValue(item: unknown, mergeKey: string): unknown {
  if (!isJsonObject(item) || !Object.prototype.hasOwnProperty.call(item, mergeKey)) {
    throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  }
  return item[mergeKey];
}

/** How a list item is identified: by its merge key, or by itself for primitives. */
export type ItemIdentity = (item: unknown) => unknown;

export function itemIdentity(mergeKey: string | undefined): ItemIdentity {
  return mergeKey ? (item) => mergeKeyValue(item, mergeKey) : (item) => item;
}

/** First position of each identity in `order`. */
function positions(order: readonly unknown[], identity: ItemIdentity): Map<unknown, number> {
  const found = new Map<unknown, number>();
  order.forEach((item, i) => {
    const id = identity(item);
    if (!found.has(id)) found.set(id, i);
  });
  return found;
}

/** A stable sort of `items` by where they appear in `order`; items absent from it go last. */
export function sortByOrder<T>(items: readonly T[], order: readonly unknown[], identity: ItemIdentity): T[] {
  const at = positions(order, identity);
  const rank = (item: T) => at.get(identity(item)) ?? Infinity;
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/**
 * Kubernetes' ordering of a merged list: items named by the patch (or its $setElementOrder) keep
 * the patch's order, items only the server had keep theirs, and the two are interleaved using the
 * server's order. A new item therefore lands before the server-only items that follow it.
 */
function orderMerged(merged: readonly unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], identity: ItemIdentity) {
  const named = new Set(patchOrder.map(identity));
  const fromPatch = sortByOrder(
    merged.filter((item) => named.has(identity(item))),
    patchOrder,
    identity,
  );
  const serverOnly = sortByOrder(
    merged.filter((item) => !named.has(identity(item))),
    serverOrder,
    identity,
  );
  const serverPosition = positions(serverOrder, identity);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) {
      result.push(serverOnly[i++]);
    } else if (i >= serverOnly.length) {
      result.push(fromPatch[j++]);
    } else {
      const left = serverPosition.get(identity(serverOnly[i]));
      const right = serverPosition.get(identity(fromPatch[j]));
      result.push(left !== undefined && right !== undefined && left < right ? serverOnly[i++] : fromPatch[j++]);
    }
  }
  return result;
}

function unknownDirective(directive: unknown, where: unknown): ApiError {
  return badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(where)}`);
}

/** One patch application; both documents are private copies that it mutates. */
class StrategicMerge {
  constructor(private readonly kind: string) {}

  private meta(path: readonly string[]): PatchMeta {
    return patchMetaFor(this.kind, path);
  }

  mergeMap(original: JsonObject, patch: JsonObject, path: string[]): JsonObject {
    if (Object.prototype.hasOwnProperty.call(patch, DIRECTIVE_MARKER)) {
      const directive = patch[DIRECTIVE_MARKER];
      // An emptied map, as in Kubernetes; `null` is how a patch removes a field.
      if (directive === 'delete') return {};
      if (directive !== 'replace') throw unknownDirective(directive, patch);
      delete patch[DIRECTIVE_MARKER];
      return this.mergeMap({}, patch, path);
    }
    this.applyRetainKeys(original, patch);
    this.applySetElementOrder(original, patch, path);
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        this.deleteFromPrimitiveList(original, key, value);
      } else if (value === null) {
        delete original[key];
      } else {
        original[key] = this.mergeValue(original[key], value, [...path, key]);
      }
    }
    return original;
  }

  /** `current` is undefined when the original lacks the field; a value of another type is replaced. */
  private mergeValue(current: unknown, value: unknown, path: string[]): unknown {
    if (isJsonObject(value)) return this.mergeMap(isJsonObject(current) ? current : {}, value, path);
    if (Array.isArray(value)) return this.mergeListField(Array.isArray(current) ? current : [], value, path);
    return value;
  }

  private mergeListField(current: unknown[], patch: unknown[], path: string[]): unknown[] {
    const meta = this.meta(path);
    if (!meta.merge) return patch.map((item) => (isJsonObject(item) ? this.mergeMap({}, item, path) : item));
    return this.mergeList(current, patch, meta.mergeKey, path);
  }

  private mergeList(original: unknown[], patch: unknown[], mergeKey: string | undefined, path: string[]): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    if (!listHoldsObjects([...original, ...patch])) {
      return orderMerged([...new Set([...original, ...patch])], patch, original, itemIdentity(undefined));
    }
    if (!mergeKey) throw badRequest(`cannot merge lists without merge key for ${path.join('.')}`);
    const identity = itemIdentity(mergeKey);
    let items = [...original] as JsonObject[];
    const regular: JsonObject[] = [];
    let replace = false;
    for (const item of patch as JsonObject[]) {
      if (!Object.prototype.hasOwnProperty.call(item, DIRECTIVE_MARKER)) {
        regular.push(item);
        continue;
      }
      const directive = item[DIRECTIVE_MARKER];
      if (directive === 'delete') {
        const doomed = identity(item);
        items = items.filter((o) => identity(o) !== doomed);
      } else if (directive === 'replace') {
        replace = true;
      } else if (directive === 'merge') {
        throw badRequest('merging lists cannot yet be specified in the patch');
      } else {
        throw unknownDirective(directive, item);
      }
    }
    if (replace) return regular.map((item) => this.mergeMap({}, item, path));
    const serverOrder = [...items];
    for (const item of regular) {
      const key = identity(item);
      const i = items.findIndex((o) => identity(o) === key);
      if (i >= 0) items[i] = this.mergeMap(items[i], item, path);
      else items.push(this.mergeMap({}, item, path));
    }
    return orderMerged(items, regular, serverOrder, identity);
  }

  private applyRetainKeys(original: JsonObject, patch: JsonObject): void {
    if (!Object.prototype.hasOwnProperty.call(patch, RETAIN_KEYS)) return;
    const listed = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(listed)) throw badRequest('invalid patch format of retainKeys');
    const retained = new Set(listed);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!retained.has(key)) throw unprocessable("patch content doesn't match retainKeys list");
    }
    for (const key of Object.keys(original)) {
      if (!retained.has(key)) delete original[key];
    }
  }

  /** Merges each list named by a $setElementOrder directive and puts it in that order. */
  private applySetElementOrder(original: JsonObject, patch: JsonObject, path: string[]): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const order = patch[key];
      delete patch[key];
      const field = key.slice(SET_ELEMENT_ORDER.length);
      if (!Array.isArray(order) || field === '') throw badRequest('invalid patch format of setElementOrder list');
      const patchList = patch[field];
      const current = original[field];
      const meta = this.meta([...path, field]);
      // A list being deleted or replaced, or an original that is no list: the main merge decides.
      if (patchList === null || !meta.merge || (current !== undefined && !Array.isArray(current))) continue;
      if (patchList !== undefined && !Array.isArray(patchList)) throw badRequest('invalid patch format of setElementOrder list');
      if (patchList === undefined && current === undefined) continue;
      const currentList: unknown[] = current ?? [];
      const identity = itemIdentity(meta.mergeKey);
      if (patchList) validateAgainstOrder(patchList, order, identity);
      const merged = patchList ? this.mergeList(currentList, patchList, meta.mergeKey, [...path, field]) : currentList;
      original[field] = orderMerged(merged, order, currentList, identity);
      delete patch[field];
    }
  }

  private deleteFromPrimitiveList(original: JsonObject, key: string, values: unknown): void {
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (field === '' || !Array.isArray(values)) throw badRequest('invalid patch format of primitive list');
    const current = original[field];
    if (!Array.isArray(current)) return;
    const doomed = new Set(values);
    original[field] = current.filter((v) => !doomed.has(v));
  }
}

/** The patch's items must appear in $setElementOrder, in the same relative order. */
function validateAgainstOrder(patchList: unknown[], order: unknown[], identity: ItemIdentity): void {
  if (order.length === 0) return;
  const items = patchList.filter((item) => !(isJsonObject(item) && Object.prototype.hasOwnProperty.call(item, DIRECTIVE_MARKER)));
  let p = 0;
  for (let o = 0; p < items.length && o < order.length; o++) {
    if (identity(items[p]) === identity(order[o])) p++;
  }
  if (p < items.length) {
    throw badRequest(
      `The order in patch list:\n${JSON.stringify(patchList)}\n doesn't match ${SET_ELEMENT_ORDER.slice(0, -1)} list:\n${JSON.stringify(order)}\n`,
    );
  }
}

/**
 * Applies a strategic merge patch to an object of `kind` (which selects the merge keys). Returns a
 * new object; neither argument is modified. Errors are ApiErrors with Kubernetes' reasons.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: unknown, kind: string): JsonObject {
  if (patch === null || patch === undefined) return structuredClone(original);
  if (!isJsonObject(patch)) throw badRequest('invalid JSON document');
  return new StrategicMerge(kind).mergeMap(structuredClone(original), structuredClone(patch), []);
}

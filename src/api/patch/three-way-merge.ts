// The strategic merge patches kubectl computes on the client: the three-way patch of client-side
// `kubectl apply` (last-applied configuration, new manifest, live object) and the two-way patch of
// `kubectl edit`/`label`. Follows Kubernetes' strategicpatch.CreateThreeWayMergePatch: the patch is
// the changes from the live object to the manifest, without deletions, plus the deletions from the
// last-applied configuration to the manifest; so fields only other writers set are left alone.
// Given no kind (a custom resource, see client-patch.ts) the same diff is a JSON merge patch, as
// kubectl's jsonmergepatch computes for kinds without patch strategies.
import { isDeepStrictEqual } from 'node:util';
import { isJsonObject, type JsonObject } from './merge-patch.js';
import { patchMetaFor, type PatchMeta } from './patch-merge-keys.js';
import {
  DELETE_FROM_PRIMITIVE_LIST,
  DIRECTIVE_MARKER,
  RETAIN_KEYS,
  SET_ELEMENT_ORDER,
  itemIdentity,
  type ItemIdentity,
  listHoldsObjects,
  mergeKeyValue,
  sortByOrder,
} from './strategic-merge.js';

interface DiffOptions {
  /** Leave out fields that are new or changed: the diff then only deletes. */
  ignoreChangesAndAdditions?: boolean;
  /** Leave out fields that are gone: the diff then only adds and changes. */
  ignoreDeletions?: boolean;
}

interface ListDiff {
  /** New and changed items (and, for keyed lists, `$patch: delete` items). */
  patch: unknown[];
  /** Primitives to remove: the `$deleteFromPrimitiveList` list. */
  deletions: unknown[];
  /** The `$setElementOrder` list, empty when the order need not be sent. */
  order: unknown[];
}

type JsonType = 'null' | 'object' | 'array' | 'string' | 'number' | 'boolean';

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

const hasOwn = (obj: JsonObject, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

/** Go's fmt %v of a scalar, which orders items and merge keys in Kubernetes' diff. */
const sortKey = (value: unknown) => String(value);

function bySortKey(identity: ItemIdentity) {
  return (a: unknown, b: unknown) => {
    const x = sortKey(identity(a));
    const y = sortKey(identity(b));
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** Kubernetes' diffMaps and friends, under one set of options. */
class StrategicDiff {
  private readonly changes: boolean;
  private readonly deletes: boolean;

  constructor(
    private readonly kind: string | undefined,
    options: DiffOptions,
  ) {
    this.changes = !options.ignoreChangesAndAdditions;
    this.deletes = !options.ignoreDeletions;
  }

  private meta(path: readonly string[]): PatchMeta {
    return patchMetaFor(this.kind, path);
  }

  /** `buildRetainKeys`: the map is a union type whose patch must list the fields it keeps. */
  diffMaps(original: JsonObject, modified: JsonObject, path: string[], buildRetainKeys: boolean): JsonObject {
    const patch: JsonObject = {};
    const retained: string[] = [];
    for (const [key, value] of Object.entries(modified)) {
      if (buildRetainKeys && value !== null) retained.push(key);
      const before = original[key];
      if (!hasOwn(original, key) || jsonType(before) !== jsonType(value)) {
        if (this.changes) patch[key] = value;
      } else if (isJsonObject(before)) {
        const fieldPath = [...path, key];
        const sub = this.diffMaps(before, value as JsonObject, fieldPath, this.meta(fieldPath).retainKeys === true);
        if (Object.keys(sub).length > 0) patch[key] = sub;
      } else if (Array.isArray(before)) {
        this.diffListField(patch, key, before, value as unknown[], [...path, key]);
      } else if (this.changes && before !== value) {
        patch[key] = value;
      }
    }
    if (this.deletes) {
      for (const key of Object.keys(original)) {
        if (!hasOwn(modified, key)) patch[key] = null;
      }
    }
    // Sent whenever there is a change, or when the original has a field the patch must clear.
    const clearsFields = () => Object.entries(original).some(([key, value]) => value !== null && !hasOwn(modified, key));
    if (retained.length > 0 && (Object.keys(patch).length > 0 || clearsFields())) patch[RETAIN_KEYS] = retained.sort();
    return patch;
  }

  private diffListField(patch: JsonObject, key: string, original: unknown[], modified: unknown[], path: string[]): void {
    const meta = this.meta(path);
    if (!meta.merge) {
      if (this.changes && !isDeepStrictEqual(original, modified)) patch[key] = modified;
      return;
    }
    const diff = this.diffLists(original, modified, path, meta);
    if (diff.patch.length > 0) patch[key] = diff.patch;
    if (diff.deletions.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST}${key}`] = diff.deletions;
    if (diff.order.length > 0) patch[`${SET_ELEMENT_ORDER}${key}`] = diff.order;
  }

  private diffLists(original: unknown[], modified: unknown[], path: string[], meta: PatchMeta): ListDiff {
    if (original.length === 0) {
      return { patch: this.changes ? modified : [], deletions: [], order: [] };
    }
    return listHoldsObjects([...original, ...modified])
      ? this.diffKeyedLists(original as JsonObject[], modified as JsonObject[], path, meta)
      : this.diffPrimitiveLists(original, modified);
  }

  /** Walks both lists sorted by merge key, like a merge join. */
  private diffKeyedLists(original: JsonObject[], modified: JsonObject[], path: string[], meta: PatchMeta): ListDiff {
    const mergeKey = meta.mergeKey ?? '';
    const identity = itemIdentity(mergeKey);
    const before = [...original].sort(bySortKey(identity));
    const after = [...modified].sort(bySortKey(identity));
    const changed: JsonObject[] = [];
    const deleted: JsonObject[] = [];
    let i = 0;
    let j = 0;
    while (i < before.length || j < after.length) {
      const left = i < before.length ? sortKey(identity(before[i])) : undefined;
      const right = j < after.length ? sortKey(identity(after[j])) : undefined;
      if (left !== undefined && left === right) {
        const sub = this.diffMaps(before[i], after[j], path, meta.retainKeys === true);
        if (Object.keys(sub).length > 0) changed.push({ ...sub, [mergeKey]: mergeKeyValue(after[j], mergeKey) });
        i++;
        j++;
      } else if (left === undefined || (right !== undefined && left > right)) {
        if (this.changes) changed.push(after[j]);
        j++;
      } else {
        if (this.deletes) deleted.push({ [mergeKey]: mergeKeyValue(before[i], mergeKey), [DIRECTIVE_MARKER]: 'delete' });
        i++;
      }
    }
    const patch = [...sortByOrder(changed, modified, identity), ...deleted];
    const sameOrder = original.length === modified.length && original.every((item, k) => identity(item) === identity(modified[k]));
    const sendOrder = (this.changes && (patch.length > 0 || !sameOrder)) || (this.deletes && patch.length > 0);
    return {
      patch,
      deletions: [],
      order: sendOrder ? modified.map((item) => ({ [mergeKey]: identity(item) })) : [],
    };
  }

  private diffPrimitiveLists(original: unknown[], modified: unknown[]): ListDiff {
    const identity = itemIdentity(undefined);
    const before = [...original].sort(bySortKey(identity));
    const after = [...modified].sort(bySortKey(identity));
    const added: unknown[] = [];
    const deleted = new Set<unknown>();
    let i = 0;
    let j = 0;
    while (i < before.length || j < after.length) {
      const left = i < before.length ? sortKey(before[i]) : undefined;
      const right = j < after.length ? sortKey(after[j]) : undefined;
      if (left !== undefined && left === right) {
        i++;
        j++;
      } else if (left === undefined || (right !== undefined && left > right)) {
        if (this.changes) added.push(after[j]);
        j++;
      } else {
        if (this.deletes) deleted.add(before[i]);
        i++;
      }
    }
    const sendOrder = (this.deletes && deleted.size > 0) || (this.changes && !isDeepStrictEqual(original, modified));
    return {
      patch: sortByOrder(added, modified, identity),
      deletions: [...deleted],
      order: sendOrder ? modified : [],
    };
  }
}

/**
 * Unites the deletions patch and the changes patch. They never set the same field: deletions
 * concern what the manifest dropped, changes what it has. But both may patch the same item of a
 * keyed list (an item the manifest keeps, with one field dropped and another changed): those item
 * patches are united too. Directives both carry ($setElementOrder, $retainKeys) are computed from
 * the manifest alone and so are equal.
 */
function combinePatches(deletions: JsonObject, changes: JsonObject, kind: string | undefined, path: string[]): JsonObject {
  const result: JsonObject = { ...deletions };
  for (const [key, value] of Object.entries(changes)) {
    const other = result[key];
    if (isJsonObject(other) && isJsonObject(value)) {
      result[key] = combinePatches(other, value, kind, [...path, key]);
    } else if (Array.isArray(other) && Array.isArray(value) && !key.startsWith('$')) {
      result[key] = combineListPatches(other, value, changes[`${SET_ELEMENT_ORDER}${key}`], kind, [...path, key]);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/**
 * The server checks that a keyed list patch names its items in $setElementOrder's order, so the
 * united items follow that order; `$patch: delete` items, which it skips, go last.
 */
function combineListPatches(deletions: unknown[], changes: unknown[], order: unknown, kind: string | undefined, path: string[]): unknown[] {
  const identity = itemIdentity(patchMetaFor(kind, path).mergeKey);
  const isDeletion = (item: unknown) => isJsonObject(item) && item[DIRECTIVE_MARKER] === 'delete';
  const items = deletions.filter((item) => !isDeletion(item));
  for (const change of changes) {
    const i = items.findIndex((item) => identity(item) === identity(change));
    if (i < 0) items.push(change);
    else items[i] = isJsonObject(change) ? combinePatches(items[i] as JsonObject, change, kind, path) : change;
  }
  return [...sortByOrder(items, Array.isArray(order) ? order : [], identity), ...deletions.filter(isDeletion)];
}

const asObject = (value: unknown): JsonObject => (isJsonObject(value) ? value : {});

/**
 * The patch client-side `kubectl apply` sends: sets what `modified` sets differently from
 * `current`, deletes what `lastApplied` had and `modified` dropped, and leaves every other field of
 * `current` (status, fields written by controllers or by `kubectl scale`) alone. `{}` means there
 * is nothing to change. A missing lastApplied (no annotation yet) deletes nothing.
 */
export function createThreeWayMergePatch(lastApplied: unknown, modified: unknown, current: unknown, kind: string | undefined): JsonObject {
  const changes = new StrategicDiff(kind, { ignoreDeletions: true }).diffMaps(asObject(current), asObject(modified), [], false);
  const deletions = new StrategicDiff(kind, { ignoreChangesAndAdditions: true }).diffMaps(
    asObject(lastApplied),
    asObject(modified),
    [],
    false,
  );
  return structuredClone(combinePatches(deletions, changes, kind, []));
}

/** The patch that turns `original` into `modified` (what `kubectl edit` sends). `{}` when equal. */
export function createTwoWayMergePatch(original: unknown, modified: unknown, kind: string | undefined): JsonObject {
  return structuredClone(new StrategicDiff(kind, {}).diffMaps(asObject(original), asObject(modified), [], false));
}

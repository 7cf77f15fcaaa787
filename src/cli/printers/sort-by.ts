// `--sort-by=<jsonpath>` as kubectl (1.31+) sorts: on the first value the path finds in each
// object; numbers numerically; strings by amount when both are quantities (`500m`, `1Gi`, `10`),
// else bytewise (RFC 3339 timestamps then sort in time order); objects without the field first.
import { Quantity } from '../../api/quantity.js';
import type { KubeObject, Table } from '../../api/types.js';
import { JsonPath, relaxedJsonPathExpression } from '../../api/printers/jsonpath.js';

/** The objects sorted by the field, stable for equal values. */
export function sortObjects<T extends KubeObject>(objects: T[], expression: string): T[] {
  return sortBy(objects, expression, (obj) => obj);
}

/** A server-printed table's rows sorted by a field of their objects (requested with includeObject=Object). */
export function sortTable(table: Table, expression: string): Table {
  return { ...table, rows: sortBy(table.rows, expression, (row) => row.object) };
}

// Go's sort.Sort runs an insertion sort up to this many items, which fixes the order even where
// kubectl's comparison is not consistent (two objects without the field each sort "first").
const INSERTION_SORT_MAX = 12;

function sortBy<T>(items: T[], expression: string, objectOf: (item: T) => unknown): T[] {
  const field = relaxedJsonPathExpression(expression);
  const path = new JsonPath(field, { allowMissingKeys: true });
  const keyed = items.map((item) => ({ item, key: path.findResults(objectOf(item))[0] ?? [] }));
  if (items.length > 0 && keyed.every(({ key }) => key.length === 0)) {
    throw new Error(`couldn't find any field with path "${field}" in the list of objects`);
  }
  type Keyed = (typeof keyed)[number];
  const less = (a: Keyed, b: Keyed) => {
    if (a.key.length === 0) return true;
    if (b.key.length === 0) return false;
    return isLess(a.key[0], b.key[0], field);
  };
  if (keyed.length <= INSERTION_SORT_MAX) {
    for (let i = 1; i < keyed.length; i++) {
      for (let j = i; j > 0 && less(keyed[j], keyed[j - 1]); j--) [keyed[j], keyed[j - 1]] = [keyed[j - 1], keyed[j]];
    }
  } else {
    keyed.sort((a, b) => Number(less(b, a)) - Number(less(a, b)));
  }
  return keyed.map(({ item }) => item);
}

function isLess(a: unknown, b: unknown, field: string): boolean {
  if (a === null || b === null) return a === null && b !== null;
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) === Number.isInteger(b)) return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = Quantity.parse(a);
    const qb = Quantity.parse(b);
    return qa && qb ? qa.cmp(qb) < 0 : a < b;
  }
  throw new Error(`Field ${field} is an unsortable type: ${describeType(a)}`);
}

function describeType(v: unknown): string {
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'object' ? 'map' : typeof v;
}

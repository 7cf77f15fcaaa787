// Paths into an object as structured-merge-diff names them: a struct or map field (`f:name`), a
// list item by its key fields (`k:{"name":"web"}`), a set member by value (`v:"x"`), or an item
// of a list by position (`i:0`). The serialized form is the key used in `fieldsV1` and, being
// canonical, also the identity of an element.

export type PathElement =
  | { readonly field: string }
  /** Key fields sorted by name. */
  | { readonly key: ReadonlyArray<readonly [string, Scalar]> }
  | { readonly value: unknown }
  | { readonly index: number };

export type Scalar = string | number | boolean | null;
export type Path = readonly PathElement[];

/** JSON as Go's encoder writes it: HTML-significant characters escaped. */
export function goJSON(v: unknown): string {
  const s = JSON.stringify(v);
  return HTML_SIGNIFICANT.test(s) ? s.replace(HTML_SIGNIFICANT_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : s;
}
const HTML_SIGNIFICANT = /[<>&\u2028\u2029]/;
const HTML_SIGNIFICANT_ALL = /[<>&\u2028\u2029]/g;

/** The element as a fieldsV1 key: `f:…`, `k:…`, `v:…`, `i:…`. */
export function serializeElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:${goJSON(Object.fromEntries(pe.key))}`;
  if ('value' in pe) return `v:${goJSON(pe.value)}`;
  return `i:${pe.index}`;
}

export function parseElement(s: string): PathElement {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:': {
      const obj = JSON.parse(body) as Record<string, Scalar>;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`invalid key element ${s}`);
      return { key: Object.entries(obj).sort(([a], [b]) => compareStrings(a, b)) };
    }
    case 'v:':
      return { value: JSON.parse(body) };
    case 'i:': {
      const n = Number(body);
      if (!Number.isInteger(n) || n < 0) throw new Error(`invalid index element ${s}`);
      return { index: n };
    }
  }
  throw new Error(`unknown path element type in ${JSON.stringify(s)}`);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
}

/** structured-merge-diff's total order of values: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) - (b as number);
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 4: {
      const x = Object.entries(a as object).sort(([p], [q]) => compareStrings(p, q));
      const y = Object.entries(b as object).sort(([p], [q]) => compareStrings(p, q));
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareStrings(x[i][0], y[i][0]) || compareValues(x[i][1], y[i][1]);
        if (c) return c;
      }
      return x.length - y.length;
    }
  }
  return 0;
}

function elementRank(pe: PathElement): number {
  return 'field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3;
}

/** The order of elements in fieldsV1: fields, then keys, values and indices, each sorted. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ra = elementRank(a);
  const rb = elementRank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a) return compareStrings(a.field, (b as { field: string }).field);
  if ('key' in a) {
    const x = a.key;
    const y = (b as { key: ReadonlyArray<readonly [string, Scalar]> }).key;
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compareStrings(x[i][0], y[i][0]) || compareValues(x[i][1], y[i][1]);
      if (c) return c;
    }
    return x.length - y.length;
  }
  if ('value' in a) return compareValues(a.value, (b as { value: unknown }).value);
  return a.index - (b as { index: number }).index;
}

/** Go's `%q`-style rendering of a scalar, as structured-merge-diff prints keys and values. */
function printValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : goJSON(v);
}

/** `.spec.template.spec.containers[name="web"].image`, as Kubernetes prints a field in a conflict. */
export function pathToString(path: Path): string {
  return path
    .map((pe) => {
      if ('field' in pe) return `.${pe.field}`;
      if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${printValue(v)}`).join(',')}]`;
      if ('value' in pe) return `[=${printValue(pe.value)}]`;
      return `[${pe.index}]`;
    })
    .join('');
}

// Whether two values would be stored alike: equal once serialized to JSON and read back, in any
// key order. The registry asks this of every write (no-op detection, spec generation), informer
// caches of every update's spec fields; comparing in place costs a fraction of serializing, parsing
// and deep-comparing copies of both.

/** What JSON.stringify writes for a value: undefined where it leaves a property out. */
function asJSON(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return v;
  }
}

/** Objects whose JSON is not simply their own enumerable properties (Dates, anything with toJSON, class instances). */
function special(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return (proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function';
}

function viaJSON(v: unknown): unknown {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}

/** a and b as JSON would see them: JSON.parse(JSON.stringify(a)) deep-equals JSON.parse(JSON.stringify(b)). */
export function sameJSON(a: unknown, b: unknown): boolean {
  a = asJSON(a);
  b = asJSON(b);
  // Rare (stored objects are plain): such a value is compared as what it serializes to.
  if (special(a)) a = viaJSON(a);
  if (special(b)) b = viaJSON(b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // In arrays JSON writes null where it leaves a property out.
    for (let i = 0; i < a.length; i++) if (!sameJSON(asJSON(a[i]) ?? null, asJSON(b[i]) ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let kept = 0;
  for (const k in x) {
    const v = asJSON(x[k]);
    if (v === undefined) continue;
    kept++;
    if (!Object.prototype.hasOwnProperty.call(y, k) || !sameJSON(v, y[k])) return false;
  }
  for (const k in y) if (asJSON(y[k]) !== undefined) kept--;
  return kept === 0;
}

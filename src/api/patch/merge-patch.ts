// JSON Merge Patch (RFC 7386), the `application/merge-patch+json` patch type: objects merge key by
// key, `null` removes a key, anything else (arrays included) replaces the target value.

export type JsonObject = Record<string, unknown>;

/** A JSON object in the RFC's sense: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a new patched document that shares nothing with either argument. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(structuredClone(target), structuredClone(patch));
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeInto(result[key], value);
  }
  return result;
}

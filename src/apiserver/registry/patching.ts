// The three patch types the API accepts, applied to a stored object.
import type { PatchType } from '../../api/client.js';
import { ApiError, errors } from '../../api/errors.js';
import { checkBodyShape } from './decode-errors.js';
import { applyMergePatch } from '../../api/patch/merge-patch.js';
import { applyJsonPatch } from '../../api/patch/json-patch.js';
import { applyStrategicMergePatch } from '../../api/patch/strategic-merge.js';

export function applyPatch(type: PatchType, original: unknown, patch: unknown, kind: string): unknown {
  switch (type) {
    case 'merge':
      return applyMergePatch(original, patch);
    case 'json':
      if (!Array.isArray(patch)) throw errors.badRequest('a JSON patch must be an array of operations');
      return applyJsonPatch(original, patch);
    case 'strategic':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('a strategic merge patch must be a JSON object');
      return applyStrategicMergePatch(original as Record<string, unknown>, patch as Record<string, unknown>, kind);
    case 'apply':
      // Applies go through Registry.apply, which needs the field managers; this is only reached by subresources without them.
      throw errors.badRequest(`server-side apply is not supported on ${kind}`);
  }
}

/**
 * A patch applied for a request: a body nested too deep is refused first, and whatever a patch
 * cannot do to the object (a path that is not there, a failed test) is the client's 400, not a 500.
 */
export function applyPatchOrRefuse(type: PatchType, original: unknown, patch: unknown, kind: string): unknown {
  checkBodyShape(patch);
  try {
    return applyPatch(type, original, patch, kind);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw errors.badRequest(`the patch could not be applied: ${(err as Error).message}`);
  }
}

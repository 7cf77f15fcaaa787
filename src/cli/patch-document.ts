// kubectl patch's pure parts: its flag checks, the patch text (JSON or YAML) turned into JSON, and
// a patch applied locally for --dry-run=client, with kubectl's error texts.
import { parse as parseYaml } from 'yaml';
import type { PatchType } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { applyJsonPatch } from '../api/patch/json-patch.js';
import { applyMergePatch, type JsonObject } from '../api/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../api/patch/strategic-merge.js';
import type { KubeObject } from '../api/types.js';
import { CliError } from './errors.js';

const PATCH_TYPES = ['json', 'merge', 'strategic'];
const SUBRESOURCES = ['status', 'scale'];

export interface PatchFlags {
  patch?: string;
  patchFile?: string;
  type: string;
  subresource?: string;
}

/** The patch type of valid flags, or kubectl's error for invalid ones. */
export function checkPatchFlags(f: PatchFlags): PatchType {
  if (f.patch && f.patchFile) throw new CliError('cannot specify --patch and --patch-file together');
  if (!f.patch && !f.patchFile) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
  const type = f.type.toLowerCase();
  if (!PATCH_TYPES.includes(type)) throw new CliError(`--type must be one of [${PATCH_TYPES.join(' ')}], not "${f.type}"`);
  if (f.subresource && !SUBRESOURCES.includes(f.subresource)) {
    throw new CliError(`invalid subresource value: "${f.subresource}". Must be one of [${SUBRESOURCES.join(' ')}]`);
  }
  return type as PatchType;
}

/** The patch as a JSON value; YAML is accepted too, as kubectl converts it. */
export function parsePatchText(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (jsonErr) {
    // Text that starts like JSON is JSON to kubectl: a YAML reading would only hide the mistake.
    if (/^\s*[{[]/.test(text)) throw new CliError(`unable to parse "${shown}": ${(jsonErr as Error).message}`);
    try {
      return parseYaml(text);
    } catch (yamlErr) {
      throw new CliError(`unable to parse "${shown}": ${(yamlErr as Error).message.split('\n')[0]}`);
    }
  }
}

/** What the server would make of the patch, for --dry-run=client. */
export function applyPatchLocally(obj: KubeObject, type: PatchType, patch: unknown): KubeObject {
  try {
    switch (type) {
      case 'json':
        return applyJsonPatch(obj, patch) as KubeObject;
      case 'merge':
        return applyMergePatch(obj, patch) as KubeObject;
      case 'strategic':
        return applyStrategicMergePatch(obj as unknown as JsonObject, patch, obj.kind!) as unknown as KubeObject;
      case 'apply':
        throw new CliError('a server-side apply can only be dry-run on the server (--dry-run=server)');
    }
  } catch (err) {
    if (err instanceof ApiError) throw new CliError(err.message);
    throw err;
  }
}

export function patchOperation(changed: boolean): string {
  return changed ? 'patched' : 'patched (no change)';
}

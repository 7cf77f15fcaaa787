// Pure: the files of configMap, secret and projected volumes (relative path → content
// and mode), built as the kubelet's volume plugins build them before the AtomicWriter writes them.
import type { KeyToPath } from 'kubernetes-types/core/v1.js';

export interface FileContent {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, FileContent>;

/** The API's default for defaultMode (0644). */
export const DEFAULT_MODE = 0o644;

/** A volume set-up that cannot succeed yet; its message follows `MountVolume.SetUp failed for volume "x" : `. */
export class MountError extends Error {}

/**
 * The files of a ConfigMap's or Secret's data: every key, or only `items` (a missing item key is an
 * error unless the source is optional). `missingKey` words the error as the plugin does.
 */
export function keyToPathPayload(
  data: Record<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number | undefined,
  optional: boolean | undefined,
  missingKey: (key: string) => string,
): Payload {
  const mode = defaultMode ?? DEFAULT_MODE;
  const payload: Payload = new Map();
  if (!items || items.length === 0) {
    for (const [key, value] of Object.entries(data)) payload.set(key, { data: value, mode });
    return payload;
  }
  for (const item of items) {
    const value = data[item.key];
    if (value === undefined) {
      if (optional) continue;
      throw new MountError(missingKey(item.key));
    }
    payload.set(item.path, { data: value, mode: item.mode ?? mode });
  }
  return payload;
}

/** A relative path that stays inside the volume (the API validates this too; the agent does not trust it). */
export function checkRelativePath(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').includes('..')) throw new MountError(`invalid path ${JSON.stringify(path)}: must be relative and may not contain '..'`);
}

export function base64Data(data: Record<string, string> | undefined): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

// What the API server itself owns in metadata: it is set on create and carried over on update,
// whatever the client sends, as Kubernetes' `rest.BeforeCreate` / `BeforeUpdate` do.
import { randomInt, randomUUID } from 'node:crypto';
import { sameJSON } from '../../api/same-json.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { KubeObject, StatusCause } from '../../api/types.js';

// Kubernetes' `utilrand.String`: no vowels (no accidental words) and no confusable characters.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(base: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  // Kubernetes trims the base so the whole name stays within 63 characters.
  return base.slice(0, 58) + suffix;
}

/** Fills name (from generateName), uid, creationTimestamp and generation on a new object. */
export function prepareMetaForCreate(obj: KubeObject): StatusCause[] {
  const meta = obj.metadata;
  const causes: StatusCause[] = [];
  if (meta.resourceVersion) {
    causes.push({ field: 'metadata.resourceVersion', message: `Invalid value: "${meta.resourceVersion}": must be empty`, reason: 'FieldValueInvalid' });
  }
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  if (!meta.name) {
    causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' });
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(new Date());
  meta.generation = 1;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  return causes;
}

/** Carries the server-owned fields over from the stored object (generation: see followSpecGeneration). */
export function prepareMetaForUpdate(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  const was = old.metadata;
  meta.uid = was.uid;
  meta.creationTimestamp = was.creationTimestamp;
  meta.namespace = was.namespace;
  meta.generateName = was.generateName ?? meta.generateName;
  if (meta.generateName === undefined) delete meta.generateName;
  if (was.deletionTimestamp) {
    meta.deletionTimestamp = was.deletionTimestamp;
    if (was.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = was.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
  meta.generation = was.generation ?? 1;
}

/**
 * Generation counts spec changes, judged once defaults are applied and in any key order (a client
 * sending the same spec without its defaults, or in another order, changes nothing).
 */
export function followSpecGeneration(obj: KubeObject, old: KubeObject): void {
  if (!sameJSON(obj.spec, old.spec)) obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
}

// Rules shared by the data maps of ConfigMaps and Secrets: base64 values, the size limit, and
// immutability once `immutable` is set.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { forbidden } from './field-errors.js';
import { semanticallyEqual } from './equality.js';

/** Kubernetes' MaxSecretSize, which also bounds a ConfigMap's data. */
export const MAX_DATA_SIZE = 1024 * 1024;

const IMMUTABLE_MESSAGE = 'field is immutable when `immutable` is set';

/**
 * Where standard base64 stops being valid, in Go's words (`illegal base64 data at input byte 4`),
 * or undefined. Like Go's decoder, line breaks are skipped.
 */
export function base64Error(text: string): string | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  const badCharacter = /[^A-Za-z0-9+/=]/.exec(clean)?.index;
  if (badCharacter !== undefined) return illegalAt(badCharacter);
  const padding = clean.indexOf('=');
  // Padding may only be one or two '=' that end a quantum of at least two characters.
  if (padding >= 0 && (!/^={1,2}$/.test(clean.slice(padding)) || padding % 4 < 2)) return illegalAt(padding);
  if (clean.length % 4 !== 0) return illegalAt(clean.length - (clean.length % 4));
  return undefined;
}

function illegalAt(index: number): string {
  return `illegal base64 data at input byte ${index}`;
}

/** Once `immutable: true` is stored, neither it nor the data may change. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, dataFields: string[]): StatusCause[] {
  if (old.immutable !== true) return [];
  const causes: StatusCause[] = [];
  if (obj.immutable !== true) causes.push(forbidden('immutable', IMMUTABLE_MESSAGE));
  for (const field of dataFields) if (!semanticallyEqual(obj[field], old[field])) causes.push(forbidden(field, IMMUTABLE_MESSAGE));
  return causes;
}

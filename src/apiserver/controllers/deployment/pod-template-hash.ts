// The pod-template-hash of a Deployment's template, as Kubernetes' ComputeHash makes it: FNV-1a
// (32 bit) over the template, then the collision count (little-endian uint32) when there is one,
// the decimal sum spelled with the safe alphabet of rand.SafeEncodeString. Kubernetes hashes Go's
// printed structure; here the template's canonical JSON (keys sorted), so the value differs from
// Kubernetes' but is just as stable.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString: each character maps into an alphabet without vowels or look-alikes. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv32a(Buffer.from(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const count = Buffer.alloc(4);
    count.writeUInt32LE(collisionCount >>> 0);
    hash = fnv32a(count, hash);
  }
  return safeEncode(String(hash));
}

// Tokens that authenticated, remembered for a few seconds (kube-apiserver caches successful token
// authentication for 10 s), so a client's every request does not verify an ECDSA signature and
// read the ServiceAccount, Secret or Pod again. Keyed by the token's SHA-256, never the token.
// An entry names the objects that vouched for it; a change to one of them (a deletion, a new UID,
// a deletionTimestamp) drops the entry at once, so a deleted ServiceAccount or bootstrap Secret
// stops a token on its next request, as without the cache.
import { createHash } from 'node:crypto';
import type { UserInfo } from '../authorization/user.js';

export const TOKEN_CACHE_TTL_MS = 10_000;
// Past this many tokens the cache starts over rather than grow without bound.
const MAX_ENTRIES = 8192;

export interface Authenticated {
  user: UserInfo;
  /** Storage keys of the objects that vouched for the token. */
  dependsOn: string[];
  /** When the token itself stops being valid (ms since the epoch), if it does. */
  expiresAt?: number;
}

interface Entry {
  user: UserInfo;
  until: number;
  dependsOn: string[];
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  /** storage key → hashes of the tokens it vouched for. */
  private readonly byObject = new Map<string, Set<string>>();

  constructor(private readonly ttlMs = TOKEN_CACHE_TTL_MS) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached user for a token, or what authenticate returns (cached when it is a user). */
  authenticate(token: string, now: number, authenticate: () => Authenticated | undefined): UserInfo | undefined {
    const hash = createHash('sha256').update(token).digest('base64');
    const hit = this.entries.get(hash);
    if (hit && hit.until > now) return hit.user;
    if (hit) this.drop(hash);
    const result = authenticate();
    if (result) this.remember(hash, result, now);
    return result?.user;
  }

  /** Forgets every token the object at this storage key vouched for. */
  objectChanged(key: string): void {
    const hashes = this.byObject.get(key);
    if (!hashes) return;
    for (const hash of [...hashes]) this.drop(hash);
  }

  clear(): void {
    this.entries.clear();
    this.byObject.clear();
  }

  private remember(hash: string, result: Authenticated, now: number): void {
    const until = Math.min(now + this.ttlMs, result.expiresAt ?? Infinity);
    if (until <= now) return;
    if (this.entries.size >= MAX_ENTRIES) this.clear();
    this.entries.set(hash, { user: result.user, until, dependsOn: result.dependsOn });
    for (const key of result.dependsOn) {
      let hashes = this.byObject.get(key);
      if (!hashes) this.byObject.set(key, (hashes = new Set()));
      hashes.add(hash);
    }
  }

  private drop(hash: string): void {
    const entry = this.entries.get(hash);
    if (!entry) return;
    this.entries.delete(hash);
    for (const key of entry.dependsOn) {
      const hashes = this.byObject.get(key);
      hashes?.delete(hash);
      if (hashes?.size === 0) this.byObject.delete(key);
    }
  }
}

// One copy of what repeats in long-lived caches. JSON.parse makes new strings and objects for
// every value, so 10,000 cached pods of one template hold 10,000 copies of "IfNotPresent", of
// their image, and of equal tolerations, volumes and containers. Here strings are interned and
// equal subtrees of a spec replaced by one shared copy (hash-consing, bottom up). Values unique
// to an object (uid, resourceVersion, timestamps) are left alone, so the tables hold only what
// repeats; both start over past a bound, so they never grow without one. The values stay equal,
// so objects shared read-only with others may be passed; cached objects are never mutated.
import { sameJSON } from './same-json.js';

const UNIQUE_KEYS = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'startedAt', 'finishedAt', 'podIP', 'ip', 'containerID', 'imageID']);
const MAX_LENGTH = 256;
const MAX_ENTRIES = 200_000;

const strings = new Map<string, string>();
/** A subtree's structural hash → the shared copy. */
const subtrees = new Map<number, object>();
/** The hash of what share() returned last (a second return value, without allocating a pair). */
let lastHash = 0;

function intern(s: string): string {
  if (s.length > MAX_LENGTH) return s;
  const known = strings.get(s);
  if (known !== undefined) return known;
  if (strings.size >= MAX_ENTRIES) strings.clear();
  strings.set(s, s);
  return s;
}

/** Interns, in place, every short string under value (the values of UNIQUE_KEYS excepted). */
export function internStrings(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') value[i] = intern(v);
      else if (v !== null && typeof v === 'object') internStrings(v);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    const v = obj[key];
    if (typeof v === 'string') {
      if (!UNIQUE_KEYS.has(key)) obj[key] = intern(v);
    } else if (v !== null && typeof v === 'object') internStrings(v);
  }
}

function mix(h: number, n: number): number {
  return Math.imul(h ^ n, 0x01000193) >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

function hashPrimitive(v: unknown): number {
  return typeof v === 'string' ? hashString(v) : hashString(String(v)) ^ 0x5bd1e995;
}

/** Whether two subtrees, whose children are already shared copies, are equal: one level deep suffices. */
function sameShallow(a: object, b: object): boolean {
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || (a as Record<string, unknown>)[ka[i]] !== (b as Record<string, unknown>)[kb[i]]) return false;
  }
  return true;
}

/**
 * The shared copy of a subtree equal to value (value itself, the first time), its children shared
 * first; lastHash is then its structural hash, so a parent's is computed from its children's.
 */
function share(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    lastHash = hashPrimitive(value);
    return value;
  }
  let h: number;
  if (Array.isArray(value)) {
    h = 0x9e3779b9;
    for (let i = 0; i < value.length; i++) {
      value[i] = share(value[i]);
      h = mix(h, lastHash);
    }
  } else {
    const obj = value as Record<string, unknown>;
    h = 0x85ebca6b;
    for (const k in obj) {
      obj[k] = share(obj[k]);
      h = mix(mix(h, hashString(k)), lastHash);
    }
  }
  lastHash = h;
  const known = subtrees.get(h);
  if (known && sameShallow(known, value)) return known;
  if (!known) {
    if (subtrees.size >= MAX_ENTRIES) subtrees.clear();
    subtrees.set(h, value);
  }
  return value;
}

/**
 * Interns obj's strings and shares the subtrees of its spec that other cached objects hold too.
 * With `previous` (the cached version obj replaces), a spec field equal to the previous one is
 * taken from it as it is, already shared: an update mostly changes status or metadata, and
 * comparing costs less than hashing the field again.
 */
export function shareRepeatedValues(obj: { spec?: unknown }, previous?: { spec?: unknown }): void {
  const spec = obj.spec;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    internStrings(obj);
    return;
  }
  const top = obj as Record<string, unknown>;
  for (const k in top) {
    const v = top[k];
    if (k === 'spec') continue;
    if (typeof v === 'string') {
      if (!UNIQUE_KEYS.has(k)) top[k] = intern(v);
    } else internStrings(v);
  }
  const before = previous?.spec !== null && typeof previous?.spec === 'object' ? (previous.spec as Record<string, unknown>) : undefined;
  // Not spec itself: it holds what differs (a pod's nodeName), so it would never be shared.
  const fields = spec as Record<string, unknown>;
  for (const k in fields) {
    const v = fields[k];
    if (before && before[k] !== undefined && sameJSON(v, before[k])) fields[k] = before[k];
    else if (typeof v === 'string') fields[k] = intern(v);
    else {
      internStrings(v);
      fields[k] = share(v);
    }
  }
}

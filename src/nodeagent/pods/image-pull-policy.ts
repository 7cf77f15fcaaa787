// Pure: whether a container's image is pulled (imagePullPolicy) and the kubelet's per-image pull back-off.
import type { Container } from 'kubernetes-types/core/v1.js';
import { INITIAL_BACKOFF_MS, MAX_BACKOFF_MS } from './crash-loop-backoff.js';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** The API server always sets the policy; a container that skipped it keeps what it has. */
export function pullPolicy(container: Container): PullPolicy {
  return (container.imagePullPolicy as PullPolicy | undefined) ?? 'IfNotPresent';
}

export function shouldPull(policy: PullPolicy, present: boolean): boolean {
  return policy === 'Always' || (policy === 'IfNotPresent' && !present);
}

interface Entry {
  delayMs: number;
  failedAt: number;
}

/**
 * client-go's flowcontrol.Backoff as the kubelet's image manager uses it: 10 s after a failed pull,
 * doubling to 300 s; an entry untouched for twice the maximum starts over.
 */
export class PullBackOff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How long `key` must still wait before the next pull (0: it may pull now). */
  remainingMs(key: string): number {
    const e = this.entries.get(key);
    return e ? Math.max(e.failedAt + e.delayMs - this.now(), 0) : 0;
  }

  /** Records a failed pull; answers the delay before the next attempt. */
  failed(key: string): number {
    const now = this.now();
    const before = this.entries.get(key);
    const fresh = !before || now - before.failedAt > 2 * MAX_BACKOFF_MS;
    const delayMs = fresh ? INITIAL_BACKOFF_MS : Math.min(before.delayMs * 2, MAX_BACKOFF_MS);
    this.entries.set(key, { delayMs, failedAt: now });
    return delayMs;
  }

  /** Forgets keys for which `drop` says yes (e.g. a removed pod's). */
  forget(drop: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (drop(key)) this.entries.delete(key);
  }
}

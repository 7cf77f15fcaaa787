// Pushes each committed event to the watchers whose key prefix covers it. Delivery is synchronous
// and cheap (the subscriber only queues bytes); a subscriber that cannot keep up closes itself.

import type { KubeObject } from '../../api/types.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  key: string;
  rev: number;
  /** The object's JSON at this revision (for DELETED, the last state). */
  value: string;
  /** The object's JSON just before, when known: lets a filtered watch see objects leave its filter. */
  prevValue?: string;
  /**
   * The written object itself, on live events: in-process watchers (the controllers' informers)
   * use it instead of parsing value again. Shared, so it must be treated as read-only.
   */
  object?: KubeObject;
  /** prevValue parsed, by the first filtered watcher that needed it; shared and read-only too. */
  prevObject?: KubeObject;
}

export interface WatchSubscription {
  close(reason?: string): void;
}

interface Subscriber {
  prefix: string;
  onEvent: (e: StoreEvent) => void;
  onClose: (reason: string) => void;
}

export class WatchBroadcaster {
  // By prefix: a write is matched against each distinct prefix once, not against every watcher
  // (with 1,000 nodes, 1,000 watchers of pods share one prefix, and each Lease renewal went past
  // all of them).
  private readonly byPrefix = new Map<string, Set<Subscriber>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  subscribe(prefix: string, onEvent: (e: StoreEvent) => void, onClose: (reason: string) => void): WatchSubscription {
    const sub: Subscriber = { prefix, onEvent, onClose };
    let subs = this.byPrefix.get(prefix);
    if (!subs) this.byPrefix.set(prefix, (subs = new Set()));
    subs.add(sub);
    this.count++;
    return {
      close: (reason = 'closed') => {
        if (this.remove(sub)) sub.onClose(reason);
      },
    };
  }

  publish(e: StoreEvent): void {
    for (const [prefix, subs] of this.byPrefix) {
      if (!e.key.startsWith(prefix)) continue;
      for (const sub of subs) {
        try {
          sub.onEvent(e);
        } catch (err) {
          // One broken watcher must never stop the others or the writer.
          this.remove(sub);
          sub.onClose(`watcher failed: ${(err as Error).message}`);
        }
      }
    }
  }

  closeAll(reason: string): void {
    const all = [...this.byPrefix.values()].flatMap((subs) => [...subs]);
    this.byPrefix.clear();
    this.count = 0;
    for (const sub of all) sub.onClose(reason);
  }

  private remove(sub: Subscriber): boolean {
    const subs = this.byPrefix.get(sub.prefix);
    if (!subs?.delete(sub)) return false;
    this.count--;
    if (subs.size === 0) this.byPrefix.delete(sub.prefix);
    return true;
  }
}

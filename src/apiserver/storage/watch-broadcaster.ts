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
  private readonly subscribers = new Set<Subscriber>();

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(prefix: string, onEvent: (e: StoreEvent) => void, onClose: (reason: string) => void): WatchSubscription {
    const sub: Subscriber = { prefix, onEvent, onClose };
    this.subscribers.add(sub);
    return {
      close: (reason = 'closed') => {
        if (this.subscribers.delete(sub)) sub.onClose(reason);
      },
    };
  }

  publish(e: StoreEvent): void {
    for (const sub of this.subscribers) {
      if (!e.key.startsWith(sub.prefix)) continue;
      try {
        sub.onEvent(e);
      } catch (err) {
        // One broken watcher must never stop the others or the writer.
        this.subscribers.delete(sub);
        sub.onClose(`watcher failed: ${(err as Error).message}`);
      }
    }
  }

  closeAll(reason: string): void {
    for (const sub of [...this.subscribers]) {
      this.subscribers.delete(sub);
      sub.onClose(reason);
    }
  }
}

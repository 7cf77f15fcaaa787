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

/**
 * A watcher that only cares for objects whose field has one value (a node's watch of the pods
 * with spec.nodeName pinned to it): filed under that value, it is offered only the writes whose
 * object has it, or had it just before (so it still sees an object leave), as Kubernetes' watch
 * cache does with its indexed triggers. The watcher still applies its own filter to what it gets.
 */
export interface WatchIndex {
  /** The field's name: watchers that pin the same field share one table. */
  field: string;
  value: string;
  /** The field's value in an object, read as the watcher's own filter reads it. */
  valueOf(obj: KubeObject): string;
}

interface Subscriber {
  prefix: string;
  index?: WatchIndex;
  onEvent: (e: StoreEvent) => void;
  onClose: (reason: string) => void;
}

/** The watchers of one prefix: those offered every write, and those filed by a field's value. */
interface PrefixWatchers {
  all: Set<Subscriber>;
  indexes: Map<string, { valueOf(obj: KubeObject): string; byValue: Map<string, Set<Subscriber>> }>;
  size: number;
}

export class WatchBroadcaster {
  // By prefix: a write is matched against each distinct prefix once, not against every watcher
  // (with 1,000 nodes, 1,000 watchers of pods share one prefix, and each Lease renewal went past
  // all of them); within a prefix, by index value, so a pod's write reaches its node's watcher
  // alone instead of being offered to every node's.
  private readonly byPrefix = new Map<string, PrefixWatchers>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  subscribe(prefix: string, onEvent: (e: StoreEvent) => void, onClose: (reason: string) => void, index?: WatchIndex): WatchSubscription {
    const sub: Subscriber = { prefix, index, onEvent, onClose };
    let watchers = this.byPrefix.get(prefix);
    if (!watchers) this.byPrefix.set(prefix, (watchers = { all: new Set(), indexes: new Map(), size: 0 }));
    this.setFor(watchers, sub, true)!.add(sub);
    watchers.size++;
    this.count++;
    return {
      close: (reason = 'closed') => {
        if (this.remove(sub)) sub.onClose(reason);
      },
    };
  }

  publish(e: StoreEvent): void {
    for (const [prefix, watchers] of this.byPrefix) {
      if (!e.key.startsWith(prefix)) continue;
      this.offer(watchers.all, e);
      for (const index of watchers.indexes.values()) {
        const now = index.valueOf((e.object ??= JSON.parse(e.value) as KubeObject));
        this.offer(index.byValue.get(now), e);
        // Before the write, the object may have been in another watcher's view: it must see it leave.
        if (e.prevValue === undefined || e.type === 'ADDED') continue;
        const before = index.valueOf((e.prevObject ??= JSON.parse(e.prevValue) as KubeObject));
        if (before !== now) this.offer(index.byValue.get(before), e);
      }
    }
  }

  closeAll(reason: string): void {
    const all: Subscriber[] = [];
    for (const watchers of this.byPrefix.values()) {
      all.push(...watchers.all);
      for (const index of watchers.indexes.values()) for (const subs of index.byValue.values()) all.push(...subs);
    }
    this.byPrefix.clear();
    this.count = 0;
    for (const sub of all) sub.onClose(reason);
  }

  private offer(subs: Set<Subscriber> | undefined, e: StoreEvent): void {
    if (!subs) return;
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

  /** The set sub belongs in (made, when create is set and it is missing). */
  private setFor(watchers: PrefixWatchers, sub: Subscriber, create: boolean): Set<Subscriber> | undefined {
    if (!sub.index) return watchers.all;
    const { field, value, valueOf } = sub.index;
    let index = watchers.indexes.get(field);
    if (!index && create) watchers.indexes.set(field, (index = { valueOf, byValue: new Map() }));
    let subs = index?.byValue.get(value);
    if (!subs && create) index!.byValue.set(value, (subs = new Set()));
    return subs;
  }

  private remove(sub: Subscriber): boolean {
    const watchers = this.byPrefix.get(sub.prefix);
    const subs = watchers && this.setFor(watchers, sub, false);
    if (!subs?.delete(sub)) return false;
    this.count--;
    if (sub.index && subs.size === 0) {
      const index = watchers!.indexes.get(sub.index.field)!;
      index.byValue.delete(sub.index.value);
      if (index.byValue.size === 0) watchers!.indexes.delete(sub.index.field);
    }
    if (--watchers!.size === 0) this.byPrefix.delete(sub.prefix);
    return true;
  }
}

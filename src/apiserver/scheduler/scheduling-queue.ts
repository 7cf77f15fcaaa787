// The pods waiting to be scheduled, highest priority first (then first come, as kube-scheduler's
// PrioritySort queue sort). A pod that fit nowhere waits in the unschedulable set until
// the cluster changes (a node added or changed, a pod removed) and its back-off (1 s doubling to
// 10 s per failed attempt, as kube-scheduler's) has passed: retried on change, never in a loop.
// As a safety net, pods unschedulable for 5 minutes are tried again anyway.

const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
const UNSCHEDULABLE_FLUSH_MS = 300_000;

export function backoffMs(attempts: number): number {
  return Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

interface Waiting {
  attempts: number;
  failedAt: number;
}

/** The active pods as a binary heap on (priority desc, arrival asc); `active` says which entries are live. */
interface Entry {
  key: string;
  priority: number;
  seq: number;
}

function before(a: Entry, b: Entry): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}

class ActiveHeap {
  private readonly heap: Entry[] = [];

  push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && before(h[l], h[best])) best = l;
        if (r < h.length && before(h[r], h[best])) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best], h[i]];
        i = best;
      }
    }
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}

export class SchedulingQueue {
  /** Active pods by key, with the sequence number of their live heap entry (older entries are stale). */
  private readonly active = new Map<string, number>();
  private readonly heap = new ActiveHeap();
  private seq = 0;
  private readonly unschedulable = new Map<string, Waiting>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly flushTimer: NodeJS.Timeout;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly now: () => number = Date.now,
    /** A pod's priority (spec.priority), read when it becomes active. */
    private readonly priorityOf: (key: string) => number = () => 0,
  ) {
    this.flushTimer = setInterval(() => this.flushStale(), UNSCHEDULABLE_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** A new unscheduled pod, or one whose spec changed: try it now. */
  add(key: string): void {
    this.unschedulable.delete(key);
    this.activate(key);
    this.wake?.();
  }

  private activate(key: string): void {
    if (this.active.has(key)) return;
    const seq = this.seq++;
    this.active.set(key, seq);
    this.heap.push({ key, priority: this.priorityOf(key), seq });
  }

  /** The pod is bound or gone: forget it. */
  forget(key: string): void {
    this.active.delete(key);
    this.unschedulable.delete(key);
    this.attempts.delete(key);
  }

  /** It fit nowhere: wait for a change in the cluster. */
  markUnschedulable(key: string): void {
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    this.active.delete(key);
    this.unschedulable.set(key, { attempts, failedAt: this.now() });
  }

  /** It could not be bound (a conflict, an API error): retry after its back-off. */
  retryLater(key: string): void {
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    this.active.delete(key);
    this.later(key, backoffMs(attempts));
  }

  /** Something changed that may let waiting pods fit: each goes back once its back-off is over. */
  moveAllToActive(): void {
    const now = this.now();
    for (const [key, w] of this.unschedulable) {
      this.unschedulable.delete(key);
      const wait = w.failedAt + backoffMs(w.attempts) - now;
      if (wait <= 0) this.activate(key);
      else this.later(key, wait);
    }
    this.wake?.();
  }

  /** The next pod to schedule, waiting for one if none is ready; undefined once closed. */
  async pop(): Promise<string | undefined> {
    for (;;) {
      while (this.active.size === 0) {
        if (this.closed) return undefined;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
      const e = this.heap.pop()!;
      // An entry of a pod forgotten or re-added since is stale.
      if (this.active.get(e.key) !== e.seq) continue;
      this.active.delete(e.key);
      return e.key;
    }
  }

  get pending(): { active: number; unschedulable: number } {
    return { active: this.active.size, unschedulable: this.unschedulable.size };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.flushTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.heap.clear();
    this.wake?.();
  }

  private later(key: string, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, ms);
    this.timers.add(t);
  }

  private flushStale(): void {
    const now = this.now();
    for (const [key, w] of this.unschedulable) {
      if (now - w.failedAt >= UNSCHEDULABLE_FLUSH_MS) {
        this.unschedulable.delete(key);
        this.activate(key);
      }
    }
    this.wake?.();
  }
}

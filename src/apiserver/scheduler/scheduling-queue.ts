// The pods waiting to be scheduled. A pod that fit nowhere waits in the unschedulable set until
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

export class SchedulingQueue {
  private readonly active = new Set<string>();
  private readonly unschedulable = new Map<string, Waiting>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly flushTimer: NodeJS.Timeout;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {
    this.flushTimer = setInterval(() => this.flushStale(), UNSCHEDULABLE_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** A new unscheduled pod, or one whose spec changed: try it now. */
  add(key: string): void {
    this.unschedulable.delete(key);
    this.active.add(key);
    this.wake?.();
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
      if (wait <= 0) this.active.add(key);
      else this.later(key, wait);
    }
    this.wake?.();
  }

  /** The next pod to schedule, waiting for one if none is ready; undefined once closed. */
  async pop(): Promise<string | undefined> {
    while (this.active.size === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const key = this.active.values().next().value!;
    this.active.delete(key);
    return key;
  }

  get pending(): { active: number; unschedulable: number } {
    return { active: this.active.size, unschedulable: this.unschedulable.size };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.flushTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
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
        this.active.add(key);
      }
    }
    this.wake?.();
  }
}

// A controller's work queue, as client-go's: keys are deduplicated, a key is never processed by two
// workers at once (a key added while it is processed runs again afterwards), and a failed key is
// retried with exponential backoff. A named queue reports client-go's workqueue_* metrics.
import { workQueueMetrics, type QueueMetrics } from './metrics/workqueue-metrics.js';

export interface WorkQueueOptions {
  /** First retry delay; doubles per failure of the same key up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  workers?: number;
  /** The queue's name in the workqueue_* metrics (Kubernetes' names: `deployment`, `replicaset`...); unnamed queues report none. */
  name?: string;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  /** Queued keys and when they were added. */
  private readonly queued = new Map<string, number>();
  private readonly processing = new Set<string>();
  /** Keys added again while being processed. */
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private active = 0;
  private stopped = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly workers: number;
  private readonly metrics: QueueMetrics | undefined;

  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void = () => {},
    opts: WorkQueueOptions = {},
  ) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.workers = opts.workers ?? 2;
    this.metrics = opts.name ? workQueueMetrics(opts.name) : undefined;
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.set(key, Date.now());
    this.queue.push(key);
    this.metrics?.added(this.queue.length);
    this.pump();
  }

  /**
   * Adds the key after a delay (a later add of the same key in the meantime still runs at once).
   * Of two delays for one key the earlier wins, as client-go's delaying queue: a controller that
   * asks to look again sooner (a CronJob whose schedule changed) must not wait for an older, later one.
   */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending) {
      if (pending.at <= at) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { timer, at });
  }

  get length(): number {
    return this.queue.length;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
  }

  private pump(): void {
    while (this.active < this.workers && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.metrics?.started(key, Date.now() - (this.queued.get(key) ?? Date.now()), this.queue.length);
      this.queued.delete(key);
      this.processing.add(key);
      this.active++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.sync(key);
      this.failures.delete(key);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.onError(key, err);
      this.metrics?.retried();
      this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1)));
    } finally {
      this.metrics?.finished(key);
      this.processing.delete(key);
      this.active--;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}

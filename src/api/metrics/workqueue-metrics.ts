// client-go's work queue metrics (workqueue_*), one series per named queue, in prom-client's
// process-wide registry: how deep each queue is, how long keys wait and take, retries, and work
// that has been running for a while (a stuck sync shows up before it ends).
import { Counter, Gauge, Histogram } from 'prom-client';

// client-go's buckets: 10 ns to 10 s, by powers of ten.
const BUCKETS = Array.from({ length: 10 }, (_, i) => 1e-8 * 10 ** i);
const labelNames = ['name'] as const;

/** The start times of keys being processed, per queue name, for the two "how long running" gauges. */
const processing = new Map<string, Map<string, number>>();

let metrics: ReturnType<typeof makeMetrics> | undefined;

function makeMetrics() {
  const sinceStarts = (name: string, now: number) => [...(processing.get(name)?.values() ?? [])].map((t) => (now - t) / 1000);
  return {
    depth: new Gauge({ name: 'workqueue_depth', help: '[ALPHA] Current depth of workqueue', labelNames }),
    adds: new Counter({ name: 'workqueue_adds_total', help: '[ALPHA] Total number of adds handled by workqueue', labelNames }),
    queueDuration: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: '[ALPHA] How long in seconds an item stays in workqueue before being requested.',
      labelNames,
      buckets: BUCKETS,
    }),
    workDuration: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: '[ALPHA] How long in seconds processing an item from workqueue takes.',
      labelNames,
      buckets: BUCKETS,
    }),
    retries: new Counter({ name: 'workqueue_retries_total', help: '[ALPHA] Total number of retries handled by workqueue', labelNames }),
    unfinished: new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: '[ALPHA] How many seconds of work has done that is in progress and hasn\'t been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.',
      labelNames,
      collect() {
        const now = Date.now();
        for (const name of processing.keys()) this.set({ name }, sinceStarts(name, now).reduce((a, b) => a + b, 0));
      },
    }),
    longest: new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: '[ALPHA] How many seconds has the longest running processor for workqueue been running.',
      labelNames,
      collect() {
        const now = Date.now();
        for (const name of processing.keys()) this.set({ name }, Math.max(0, ...sinceStarts(name, now)));
      },
    }),
  };
}

export interface QueueMetrics {
  added(depth: number): void;
  started(key: string, queuedMs: number, depth: number): void;
  finished(key: string): void;
  retried(): void;
}

export function workQueueMetrics(name: string): QueueMetrics {
  const m = (metrics ??= makeMetrics());
  const labels = { name };
  const running = processing.get(name) ?? new Map<string, number>();
  processing.set(name, running);
  // Every series of the queue exists from its start, as client-go's do, so a rate over it is never missing.
  m.depth.set(labels, 0);
  m.adds.inc(labels, 0);
  m.retries.inc(labels, 0);
  m.queueDuration.zero(labels);
  m.workDuration.zero(labels);
  return {
    added(depth) {
      m.adds.inc(labels);
      m.depth.set(labels, depth);
    },
    started(key, queuedMs, depth) {
      m.queueDuration.observe(labels, queuedMs / 1000);
      m.depth.set(labels, depth);
      running.set(key, Date.now());
    },
    finished(key) {
      const start = running.get(key);
      running.delete(key);
      if (start !== undefined) m.workDuration.observe(labels, (Date.now() - start) / 1000);
    },
    retried() {
      m.retries.inc(labels);
    },
  };
}

// Timed compaction, as the Kubernetes API server does it for etcd: at each tick, compact up to the
// revision seen at the previous tick, so watchers always have at least one interval of history.
import type { SqliteStore } from './sqlite-store.js';

export class Compactor {
  private timer: NodeJS.Timeout | undefined;
  private lastSeen = 0;

  constructor(
    private readonly store: SqliteStore,
    private readonly intervalMs: number,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  start(): void {
    this.lastSeen = this.store.currentRevision;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  tick(): void {
    const target = this.lastSeen;
    this.lastSeen = this.store.currentRevision;
    const started = Date.now();
    const removed = this.store.compact(target);
    if (removed > 0) this.log(`compacted to revision ${target}: ${removed} old revisions removed in ${Date.now() - started} ms`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

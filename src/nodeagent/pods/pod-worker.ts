// One serialized worker per pod UID: a sync never overlaps another of the same pod, and updates
// that arrive meanwhile collapse into one more sync with the latest spec.
import type { Pod } from 'kubernetes-types/core/v1.js';

const RETRY_AFTER_ERROR_MS = 5000;

export interface PodLifecycle {
  /** Brings Docker in line with the pod and reports its status; may call `requeue`. */
  sync(pod: Pod): Promise<void>;
  /** Removes everything the pod had in Docker. */
  teardown(uid: string): Promise<void>;
}

interface Worker {
  latest?: Pod;
  gone: boolean;
  running: boolean;
  again: boolean;
  timer?: NodeJS.Timeout;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly lifecycle: PodLifecycle,
    private readonly log: (msg: string) => void,
  ) {}

  update(pod: Pod): void {
    const w = this.worker(pod.metadata!.uid!);
    w.latest = pod;
    this.run(pod.metadata!.uid!, w);
  }

  gone(uid: string): void {
    const w = this.worker(uid);
    w.gone = true;
    this.run(uid, w);
  }

  /** Syncs the pod again (a container died, a back-off ended). */
  kick(uid: string): void {
    const w = this.workers.get(uid);
    if (w) this.run(uid, w);
  }

  /** Every pod, e.g. after Docker's event stream was lost for a while. */
  kickAll(): void {
    for (const uid of this.workers.keys()) this.kick(uid);
  }

  /** Syncs the pod again after `ms`, replacing any earlier such request. */
  requeue(uid: string, ms: number): void {
    const w = this.workers.get(uid);
    if (!w) return;
    clearTimeout(w.timer);
    w.timer = setTimeout(() => this.kick(uid), ms);
  }

  stop(): void {
    for (const w of this.workers.values()) clearTimeout(w.timer);
    this.workers.clear();
  }

  private worker(uid: string): Worker {
    let w = this.workers.get(uid);
    if (!w) {
      w = { gone: false, running: false, again: false };
      this.workers.set(uid, w);
    }
    return w;
  }

  private run(uid: string, w: Worker): void {
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    void (async () => {
      do {
        w.again = false;
        try {
          if (w.gone) {
            clearTimeout(w.timer);
            await this.lifecycle.teardown(uid);
            if (this.workers.get(uid) === w) this.workers.delete(uid);
            return;
          }
          if (w.latest) await this.lifecycle.sync(w.latest);
        } catch (err) {
          this.log(`pod ${uid}: ${(err as Error).message}`);
          this.requeue(uid, RETRY_AFTER_ERROR_MS);
        }
      } while (w.again);
      w.running = false;
    })().finally(() => {
      w.running = false;
    });
  }
}

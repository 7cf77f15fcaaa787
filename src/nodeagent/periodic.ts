// A task the agent repeats: run, then wait the interval from the end of the run. A failed run is
// retried sooner, backing off from 200 ms up to the interval (the kubelet's lease controller backs
// off the same way), so a brief API outage costs no more than one interval.

const FIRST_RETRY_MS = 200;

export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private again = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs the task after delayMs (at once by default), then on its schedule. */
  start(delayMs = 0): void {
    this.schedule(delayMs);
  }

  /** Runs the task at once rather than on its schedule; asked during a run, it runs again right after. */
  runNow(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** No further runs; resolves once a run in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      this.again = false;
      await this.run();
      this.failures = 0;
      this.schedule(this.again ? 0 : this.intervalMs);
    } catch (err) {
      this.onError(err);
      this.failures++;
      this.schedule(Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), this.intervalMs));
    }
  }
}

// The timer loop around one ProbeState: a tick every periodSeconds (the first at once, as the
// kubelet's worker probes before its first tick), each one asking the state whether to probe.
import type { ProbeResult, ProbeState } from './probe-state.js';

/** Time as the worker sees it: the system's, or a fake one in tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ProbeWorkerDeps {
  clock: Clock;
  /** One probe run: undefined when it errored (not counted). */
  probe(): Promise<'success' | 'failure' | undefined>;
  /** Whether the container passed its startup probe (true without one). */
  started(): boolean;
  /** The published result changed. */
  onChange(result: ProbeResult): void;
}

export class ProbeWorker {
  private timer: unknown;
  private stopped = false;
  private running = false;
  private triggered = false;

  constructor(
    readonly state: ProbeState,
    private readonly deps: ProbeWorkerDeps,
  ) {}

  start(): void {
    void this.tick();
  }

  /** Probes now instead of at the next tick (after a probe that is under way, if any). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.triggered = true;
      return;
    }
    this.deps.clock.clearTimeout(this.timer);
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    const { clock } = this.deps;
    const tickAt = clock.now();
    this.running = true;
    try {
      const decision = this.state.decide(tickAt, this.deps.started());
      if (decision === 'stop') {
        this.stop();
        return;
      }
      if (decision === 'probe') {
        const result = await this.deps.probe().catch(() => undefined);
        if (this.stopped) return;
        if (result && this.state.record(result)) this.deps.onChange(this.state.result);
      }
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    // A fixed rate, as the kubelet's ticker: a slow probe does not push the next tick back.
    const delay = this.triggered ? 0 : Math.max(0, tickAt + this.state.timing.periodSeconds * 1000 - clock.now());
    this.triggered = false;
    this.timer = clock.setTimeout(() => void this.tick(), delay);
  }
}

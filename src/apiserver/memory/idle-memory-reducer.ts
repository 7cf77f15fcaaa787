// Gives memory back once the daemon goes quiet after a burst of work. V8 grows its heap while
// requests pour in (the young generation to 32 MB, old space and large-object pages for what died
// since the last full collection) and keeps it: an idle process allocates nothing, so nothing
// starts a collection, and the resident size stays at the burst's peak (40-80 MB over what is
// live, with 10,000 pods stored). Go's runtime, which Kubernetes' components run on, returns such
// memory in the background; here, once the event loop has been idle for a while and the heap has
// grown well past its size after the last reduction, one memory-reducing collection (V8's
// low-memory notification, through the in-process inspector: no port is opened) shrinks the heap
// to what is live and hands the freed pages back.
import { Session } from 'node:inspector';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface ReducerSettings {
  /** How often the event loop and heap are looked at. */
  intervalMs: number;
  /** Below this share of busy event loop, an interval counts as idle. */
  idleUtilization: number;
  /** How many idle intervals in a row before reducing (a pause between requests is not a quiet daemon). */
  idleIntervals: number;
  /** How far the heap must have grown since the last reduction for one to be worth its pause. */
  growthBytes: number;
  /** The least time between two reductions. */
  minGapMs: number;
}

export const DEFAULT_SETTINGS: ReducerSettings = {
  intervalMs: 1000,
  idleUtilization: 0.05,
  idleIntervals: 2,
  growthBytes: 24 * 1024 * 1024,
  minGapMs: 30_000,
};

export interface ReducerState {
  idleRun: number;
  /** The heap's size just after the last reduction (or at start). */
  baselineBytes: number;
  lastReducedAt: number;
}

/** Pure: whether this sample calls for a reduction; updates the run of idle intervals. */
export function shouldReduce(state: ReducerState, sample: { utilization: number; heapBytes: number; now: number }, s: ReducerSettings): boolean {
  state.idleRun = sample.utilization < s.idleUtilization ? state.idleRun + 1 : 0;
  return state.idleRun >= s.idleIntervals && sample.heapBytes - state.baselineBytes >= s.growthBytes && sample.now - state.lastReducedAt >= s.minGapMs;
}

export class IdleMemoryReducer {
  private timer: NodeJS.Timeout | undefined;
  private session: Session | undefined;
  private lastElu: EventLoopUtilization | undefined;
  private readonly state: ReducerState;

  constructor(private readonly settings: ReducerSettings = DEFAULT_SETTINGS) {
    this.state = { idleRun: 0, baselineBytes: heapBytes(), lastReducedAt: 0 };
  }

  start(): void {
    this.lastElu = performance.eventLoopUtilization();
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.session?.disconnect();
  }

  private tick(): void {
    const elu = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(elu, this.lastElu);
    this.lastElu = elu;
    if (!shouldReduce(this.state, { utilization, heapBytes: heapBytes(), now: Date.now() }, this.settings)) return;
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
    }
    // Runs on this thread, at once: the callback comes after the collections.
    this.session.post('HeapProfiler.collectGarbage', () => {
      this.state.baselineBytes = heapBytes();
      this.state.lastReducedAt = Date.now();
      this.state.idleRun = 0;
    });
  }
}

function heapBytes(): number {
  return v8.getHeapStatistics().total_heap_size;
}

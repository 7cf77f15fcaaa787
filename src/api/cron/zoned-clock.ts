// Wall-clock time in an IANA time zone, through Intl (no time zone data of our own). A wall-clock
// time is kept as a "naive" millisecond count: the UTC instant with the same calendar fields, so
// calendar arithmetic is plain Date.UTC arithmetic.

const MINUTE_MS = 60_000;
const HALF_DAY_MS = 12 * 3_600_000;

export interface ZonedClock {
  readonly timeZone: string;
  /** The wall-clock time (naive milliseconds) at an instant. */
  wallAt(instant: number): number;
  /**
   * The instants showing this wall-clock time, earliest first: none in a gap when clocks spring
   * forward, two in the hour repeated when they fall back.
   */
  instantsOf(naive: number): number[];
}

const clocks = new Map<string, ZonedClock>();

/** The machine's own time zone: Kubernetes' controller manager uses its local time without spec.timeZone. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A clock for an IANA zone name; throws RangeError for an unknown zone. */
export function zonedClock(timeZone: string): ZonedClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = makeClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function makeClock(timeZone: string): ZonedClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const wallAt = (instant: number): number => {
    const f: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(instant))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) + (((instant % 1000) + 1000) % 1000);
  };
  const offsetAt = (instant: number) => wallAt(instant) - instant;
  return {
    timeZone,
    wallAt,
    instantsOf(naive) {
      // Offsets half a day either side cover both sides of any transition near this time.
      const candidates = new Set([naive - offsetAt(naive - HALF_DAY_MS), naive - offsetAt(naive + HALF_DAY_MS)]);
      return [...candidates].filter((instant) => wallAt(instant) === naive).sort((a, b) => a - b);
    },
  };
}

export function truncateToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

// The `Events:` table every describer ends with.
import type { Event } from 'kubernetes-types/core/v1.js';
import { timestampSince } from '../../api/printers/duration.js';
import type { KubeObject } from '../../api/types.js';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.js';

// kubectl (up to 1.33 at least) orders by lastTimestamp alone; events without one come first.
function lastTimestamp(e: Event): number {
  return e.lastTimestamp ? Date.parse(e.lastTimestamp) : Number.NEGATIVE_INFINITY;
}

/** `10s`, or `2m (x3 over 5m)` for an event seen several times (kubectl's getInterval). */
export function eventInterval(e: Event, now: Date): string {
  const first = e.eventTime ? timestampSince(e.eventTime, now) : timestampSince(e.firstTimestamp, now);
  if (e.series) return `${timestampSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${timestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

export function writeEvents(w: PrefixWriter, objects: KubeObject[] | undefined, now: Date): void {
  if (!objects) return;
  if (objects.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  const events = (objects as unknown as Event[]).slice().sort((a, b) => lastTimestamp(a) - lastTimestamp(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of events) {
    const from = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${eventInterval(e, now)}\t${from}\t${(e.message ?? '').trim()}\n`);
  }
}

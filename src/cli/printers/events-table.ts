// `kubectl events`' table: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (NAMESPACE first with -A),
// oldest first by the time each event was last seen.
import type { Event } from 'kubernetes-types/core/v1.js';
import { eventInterval } from '../describe/events.js';
import { escapeTerminal } from './text-table.js';

/** kubectl's eventTime(): the series' last observation, else lastTimestamp, else eventTime. */
function lastSeen(e: Event): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  return t ? Date.parse(t) : Number.NEGATIVE_INFINITY;
}

export function sortEvents(events: Event[]): Event[] {
  return events.slice().sort((a, b) => lastSeen(a) - lastSeen(b));
}

export function eventsHeader(allNamespaces: boolean): string[] {
  return [...(allNamespaces ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
}

export function eventRow(e: Event, allNamespaces: boolean, now: Date): string[] {
  return [
    ...(allNamespaces ? [e.metadata?.namespace ?? ''] : []),
    eventInterval(e, now),
    escapeTerminal(e.type ?? ''),
    escapeTerminal(e.reason ?? ''),
    `${escapeTerminal(e.involvedObject?.kind ?? '')}/${escapeTerminal(e.involvedObject?.name ?? '')}`,
    escapeTerminal((e.message ?? '').trim()),
  ];
}

/** --types: Normal and Warning, case-insensitive, as kubectl checks them. */
export function parseEventTypes(types: string[]): string[] {
  const out: string[] = [];
  for (const t of types) {
    const trimmed = t.trim();
    if (!trimmed) continue;
    const known = ['Normal', 'Warning'].find((k) => k.toLowerCase() === trimmed.toLowerCase());
    if (!known) throw new Error(`valid --types are Normal or Warning`);
    out.push(known);
  }
  return out;
}

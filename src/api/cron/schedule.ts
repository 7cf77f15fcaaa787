// CronJob schedules as Kubernetes reads them (robfig/cron's standard parser): five fields
// (minute, hour, day of month, month, day of week) with `*`, `?`, lists, ranges, steps and
// month/day names, or a descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight,
// @hourly, @every <duration>), with that parser's error messages. Times are matched on the wall
// clock of a time zone; see next() for daylight-saving changes.
import { truncateToMinute, zonedClock, type ZonedClock } from './zoned-clock.js';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DAY_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) };
const DAY_OF_WEEK: Bounds = { min: 0, max: 6, names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])) };
const FIELDS = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const GO_DURATION_PART = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)/g;
const GO_DURATION = /^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$|^[-+]?0$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const MINUTE_MS = 60_000;
/** robfig/cron gives up looking for a matching time five years ahead (e.g. `0 0 30 2 *`). */
const SEARCH_YEARS = 5;

export interface CronSchedule {
  /** The first activation strictly after `after`, or undefined when there is none within five years. */
  next(after: Date): Date | undefined;
}

/** One field: the values it matches, and whether it was `*`/`?` without a step (robfig's star bit). */
interface Field {
  values: Set<number>;
  star: boolean;
}

/** Parses a schedule; a string is the parser's error. */
export function parseCronSchedule(spec: string, timeZone = 'UTC'): CronSchedule | string {
  if (spec.length === 0) return 'empty spec string';
  if (spec.startsWith('@every ')) return parseEvery(spec);
  const expanded = spec.startsWith('@') ? DESCRIPTORS[spec] : spec;
  if (!expanded) return `unrecognized descriptor: ${spec}`;
  const texts = expanded.split(/\s+/).filter(Boolean);
  if (texts.length !== FIELDS.length) return `expected exactly ${FIELDS.length} fields, found ${texts.length}: [${texts.join(' ')}]`;
  const fields: Field[] = [];
  for (let i = 0; i < texts.length; i++) {
    const field = parseField(texts[i], FIELDS[i]);
    if (typeof field === 'string') return field;
    fields.push(field);
  }
  return new FieldSchedule(fields, zonedClock(timeZone));
}

/** Why the schedule is not valid, in the parser's words, or undefined when it is. */
export function cronScheduleError(spec: string): string | undefined {
  const parsed = parseCronSchedule(spec);
  return typeof parsed === 'string' ? parsed : undefined;
}

function parseEvery(spec: string): CronSchedule | string {
  const text = spec.slice('@every '.length);
  if (!GO_DURATION.test(text)) return `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(GO_DURATION_PART)) ms += Number(n) * UNIT_MS[unit];
  if (text.startsWith('-')) ms = -ms;
  // robfig/cron: at least a second, in whole seconds, counted from the start of the second.
  const delay = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return { next: (after) => new Date(Math.floor(after.getTime() / 1000) * 1000 + delay) };
}

function parseField(text: string, bounds: Bounds): Field | string {
  const field: Field = { values: new Set(), star: false };
  for (const expr of text.split(',').filter(Boolean)) {
    const error = addRange(expr, bounds, field);
    if (error) return error;
  }
  return field;
}

/** One comma-separated part of a field: `*`, `?`, `n`, `a-b`, each optionally `/step`. */
function addRange(expr: string, bounds: Bounds, field: Field): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    const low = parseIntOrName(lowAndHigh[0], bounds);
    if (typeof low === 'string') return low;
    start = low;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const high = parseIntOrName(lowAndHigh[1], bounds);
      if (typeof high === 'string') return high;
      end = high;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = parseNonNegativeInt(rangeAndStep[1]);
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    // "n/step" means from n to the end of the range.
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  for (let v = start; v <= end; v += step) field.values.add(v);
  field.star ||= star;
  return undefined;
}

function parseIntOrName(text: string, bounds: Bounds): number | string {
  return bounds.names?.[text.toLowerCase()] ?? parseNonNegativeInt(text);
}

/** A number, or the parser's error (Go's strconv.Atoi wording). */
function parseNonNegativeInt(text: string): number | string {
  if (!/^[-+]?[0-9]+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const value = Number(text);
  return value < 0 ? `negative number (${value}) not allowed: ${text}` : value;
}

class FieldSchedule implements CronSchedule {
  constructor(
    private readonly fields: Field[],
    private readonly clock: ZonedClock,
  ) {}

  /**
   * Wall-clock matching in the schedule's time zone. A time that does not exist on the day clocks
   * spring forward is skipped that day (as robfig/cron does); a time the clock shows twice when it
   * falls back runs once, at its first occurrence.
   */
  next(after: Date): Date | undefined {
    const afterMs = after.getTime();
    let naive = truncateToMinute(this.clock.wallAt(afterMs)) + MINUTE_MS;
    const limit = Date.UTC(new Date(naive).getUTCFullYear() + SEARCH_YEARS, 0, 1);
    for (;;) {
      const match = this.nextWallMatch(naive, limit);
      if (match === undefined) return undefined;
      const first = this.clock.instantsOf(match)[0];
      if (first !== undefined && first > afterMs) return new Date(first);
      naive = match + MINUTE_MS;
    }
  }

  /** The first wall-clock minute at or after `naive` that the fields match. */
  private nextWallMatch(naive: number, limit: number): number | undefined {
    const [minute, hour, , month] = this.fields;
    let t = naive;
    while (t < limit) {
      const d = new Date(t);
      const [y, mo, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
      if (!month.values.has(mo + 1)) t = Date.UTC(y, mo + 1, 1);
      else if (!this.dayMatches(d)) t = Date.UTC(y, mo, day + 1);
      else if (!hour.values.has(h)) t = Date.UTC(y, mo, day, h + 1);
      else if (!minute.values.has(d.getUTCMinutes())) t += MINUTE_MS;
      else return t;
    }
    return undefined;
  }

  /** Vixie cron's rule: when either day field is `*`, both must match; otherwise either may. */
  private dayMatches(d: Date): boolean {
    const [, , dom, , dow] = this.fields;
    const domMatch = dom.values.has(d.getUTCDate());
    const dowMatch = dow.values.has(d.getUTCDay());
    return dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  }
}

export interface MostRecent {
  /** The latest activation in (earliest, now], if any. */
  time?: Date;
  /** How many activations were missed in (earliest, now]: exact up to 100, then estimated as Kubernetes does. */
  missed: number;
}

const EXACT_MISSED = 100;
const SEARCH_WINDOWS_MS = [MINUTE_MS, 3_600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000, SEARCH_YEARS * 367 * 86_400_000];

/** The most recent activation after `earliest` and not after `now`. */
export function mostRecentScheduleTime(schedule: CronSchedule, earliest: Date, now: Date): MostRecent {
  const t1 = schedule.next(earliest);
  if (!t1 || t1 > now) return { missed: 0 };
  let time = t1;
  for (let missed = 1; missed <= EXACT_MISSED; missed++) {
    const following = schedule.next(time);
    if (!following || following > now) return { time, missed };
    time = following;
  }
  // Many missed: count them roughly from the first interval (as Kubernetes does) and find the
  // latest one by searching back from now in growing windows.
  const t2 = schedule.next(t1)!;
  const missed = Math.floor((now.getTime() - t1.getTime()) / (t2.getTime() - t1.getTime())) + 1;
  for (const window of SEARCH_WINDOWS_MS) {
    let candidate = schedule.next(new Date(Math.max(earliest.getTime(), now.getTime() - window)));
    if (!candidate || candidate > now) continue;
    for (let following = schedule.next(candidate); following && following <= now; following = schedule.next(candidate)) candidate = following;
    return { time: candidate, missed };
  }
  return { time, missed };
}

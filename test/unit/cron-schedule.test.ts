import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronScheduleError, mostRecentScheduleTime, parseCronSchedule, type CronSchedule } from '../../src/api/cron/schedule.js';

function schedule(spec: string, timeZone = 'UTC'): CronSchedule {
  const parsed = parseCronSchedule(spec, timeZone);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const iso = (d: Date | undefined) => d?.toISOString().replace('.000Z', 'Z');

test('next activation, in UTC', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['* * * * *', '2024-05-01T10:00:00Z', '2024-05-01T10:01:00Z'],
    ['* * * * *', '2024-05-01T10:00:30.5Z', '2024-05-01T10:01:00Z'],
    ['*/15 * * * *', '2024-05-01T10:07:00Z', '2024-05-01T10:15:00Z'],
    ['5/20 * * * *', '2024-05-01T10:26:00Z', '2024-05-01T10:45:00Z'],
    ['0 9-17/4 * * *', '2024-05-01T13:00:00Z', '2024-05-01T17:00:00Z'],
    ['30 2 * * *', '2024-05-01T03:00:00Z', '2024-05-02T02:30:00Z'],
    ['0 0 1 jan *', '2024-05-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['0 12 * * MON-FRI', '2024-05-04T00:00:00Z', '2024-05-06T12:00:00Z'], // Saturday -> Monday
    ['0 0 31 * *', '2024-04-01T00:00:00Z', '2024-05-31T00:00:00Z'], // April has no 31st
    ['0 0 29 2 *', '2024-03-01T00:00:00Z', '2028-02-29T00:00:00Z'],
    ['0 0 30 2 *', '2024-03-01T00:00:00Z', undefined], // never
    // Both day fields restricted: either matches (Vixie cron); one of them `*`: both must.
    ['0 0 13 * 5', '2024-09-01T00:00:00Z', '2024-09-06T00:00:00Z'],
    ['0 0 13 * *', '2024-09-01T00:00:00Z', '2024-09-13T00:00:00Z'],
    ['0 0 */2 * 5', '2024-09-02T00:00:00Z', '2024-09-03T00:00:00Z'], // a step clears the star: OR
    ['@hourly', '2024-05-01T10:00:00Z', '2024-05-01T11:00:00Z'],
    ['@daily', '2024-05-01T10:00:00Z', '2024-05-02T00:00:00Z'],
    ['@midnight', '2024-05-01T10:00:00Z', '2024-05-02T00:00:00Z'],
    ['@weekly', '2024-05-01T10:00:00Z', '2024-05-05T00:00:00Z'],
    ['@monthly', '2024-05-01T10:00:00Z', '2024-06-01T00:00:00Z'],
    ['@yearly', '2024-05-01T10:00:00Z', '2025-01-01T00:00:00Z'],
    ['@annually', '2024-05-01T10:00:00Z', '2025-01-01T00:00:00Z'],
    ['@every 90s', '2024-05-01T10:00:00.700Z', '2024-05-01T10:01:30Z'],
  ];
  for (const [spec, after, want] of cases) assert.equal(iso(schedule(spec).next(new Date(after))), want, `${spec} after ${after}`);
});

test('next activation on the wall clock of a time zone, safe across daylight-saving changes', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['0 9 * * *', 'Europe/Berlin', '2024-07-01T00:00:00Z', '2024-07-01T07:00:00Z'], // CEST, UTC+2
    ['0 9 * * *', 'Europe/Berlin', '2024-12-01T00:00:00Z', '2024-12-01T08:00:00Z'], // CET, UTC+1
    ['0 9 * * *', 'Asia/Kolkata', '2024-07-01T00:00:00Z', '2024-07-01T03:30:00Z'],
    // 02:30 does not exist in New York on 2024-03-10 (02:00 -> 03:00): skipped that day.
    ['30 2 * * *', 'America/New_York', '2024-03-10T05:00:00Z', '2024-03-11T06:30:00Z'],
    ['0 * * * *', 'America/New_York', '2024-03-10T06:30:00Z', '2024-03-10T07:00:00Z'], // 01:30 EST -> 03:00 EDT
    // 01:30 happens twice on 2024-11-03 (EDT, then EST): it runs once, at the first.
    ['30 1 * * *', 'America/New_York', '2024-11-03T04:00:00Z', '2024-11-03T05:30:00Z'],
    ['30 1 * * *', 'America/New_York', '2024-11-03T05:30:00Z', '2024-11-04T06:30:00Z'],
    ['*/30 * * * *', 'America/New_York', '2024-11-03T05:45:00Z', '2024-11-03T07:00:00Z'], // 01:45 EDT: the repeated hour's times ran already
  ];
  for (const [spec, zone, after, want] of cases) assert.equal(iso(schedule(spec, zone).next(new Date(after))), want, `${spec} in ${zone} after ${after}`);
});

test('the parser\'s errors', () => {
  const cases: Array<[string, string | undefined]> = [
    ['* * * * *', undefined],
    ['0,,30 * * * *', undefined],
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['@often', 'unrecognized descriptor: @often'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * foo *', 'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax'],
    ['@every 5x', 'failed to parse duration @every 5x: time: invalid duration "5x"'],
  ];
  for (const [spec, want] of cases) assert.equal(cronScheduleError(spec), want, spec);
});

test('the most recent activation and how many were missed', () => {
  const every = schedule('* * * * *');
  const cases: Array<[CronSchedule, string, string, string | undefined, number]> = [
    [every, '2024-05-01T10:00:00Z', '2024-05-01T10:00:59Z', undefined, 0],
    [every, '2024-05-01T10:00:00Z', '2024-05-01T10:01:00Z', '2024-05-01T10:01:00Z', 1],
    [every, '2024-05-01T10:00:00Z', '2024-05-01T10:03:30Z', '2024-05-01T10:03:00Z', 3],
    [every, '2024-05-01T10:00:00Z', '2024-05-01T12:00:30Z', '2024-05-01T12:00:00Z', 120], // estimated past 100
    [schedule('0 9-17 * * 1-5'), '2024-05-01T00:00:00Z', '2024-06-01T12:00:00Z', '2024-05-31T17:00:00Z', 0],
  ];
  for (const [s, earliest, now, time, missed] of cases) {
    const got = mostRecentScheduleTime(s, new Date(earliest), new Date(now));
    assert.equal(iso(got.time), time, `${earliest} .. ${now}`);
    if (missed) assert.equal(got.missed, missed, `${earliest} .. ${now}`);
  }
});

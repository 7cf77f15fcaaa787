// Value formats of kubectl describe not shared with the table printers: Go's RFC1123Z times and
// the `True`/`<none>` spellings.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * `Mon, 23 Nov 2026 10:53:00 +0000`, in the local time zone as kubectl prints it. A missing
 * timestamp is Go's zero time, which kubectl prints as is.
 */
export function formatTime(timestamp: string | null | undefined): string {
  if (!timestamp) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(timestamp);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad2(Math.floor(Math.abs(offset) / 60))}${pad2(Math.abs(offset) % 60)}`;
  return (
    `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone}`
  );
}

/** Go's printBool. */
export function titleBool(value: boolean | undefined): string {
  return value ? 'True' : 'False';
}

export function stringOrNone(s: string | undefined): string {
  return s ? s : '<none>';
}

/** An IntOrString as Go's String() prints it. */
export function intOrString(value: number | string | undefined): string {
  return value === undefined || value === null ? '<nil>' : String(value);
}

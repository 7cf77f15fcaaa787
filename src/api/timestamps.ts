// Kubernetes' two timestamp formats on the wire: metav1.Time (RFC 3339, whole seconds) and
// metav1.MicroTime (RFC 3339 with six fractional digits, as leases and events carry).

/** Go's time.RFC3339 in UTC: `2024-05-01T12:00:00Z`. */
export function rfc3339(date: Date): string {
  // Every write stamps a time, most in the same second as the last one: that second's text is kept.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    // toISOString always ends in `.sssZ`.
    lastText = `${date.toISOString().slice(0, -5)}Z`;
  }
  return lastText;
}

let lastSecond = NaN;
let lastText = '';

/** metav1.MicroTime: `2024-05-01T12:00:00.123000Z` (JavaScript clocks have milliseconds). */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

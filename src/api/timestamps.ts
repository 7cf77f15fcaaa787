// Kubernetes' two timestamp formats on the wire: metav1.Time (RFC 3339, whole seconds) and
// metav1.MicroTime (RFC 3339 with six fractional digits, as leases and events carry).

/** Go's time.RFC3339 in UTC: `2024-05-01T12:00:00Z`. */
export function rfc3339(date: Date): string {
  // toISOString always ends in `.sssZ`; slicing costs a tenth of a regular expression (every write stamps a time).
  return `${date.toISOString().slice(0, -5)}Z`;
}

/** metav1.MicroTime: `2024-05-01T12:00:00.123000Z` (JavaScript clocks have milliseconds). */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

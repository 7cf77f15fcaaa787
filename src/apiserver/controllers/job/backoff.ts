// The delay before a Job replaces failed pods, as Kubernetes' job controller computes it: 10 s
// after the last failure, doubling with each failure since the last success, at most 10 minutes.
import type { Pod } from 'kubernetes-types/core/v1.js';

export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export function backoffDelayMs(failuresAfterLastSuccess: number): number {
  if (failuresAfterLastSuccess <= 0) return 0;
  return Math.min(MAX_POD_FAILURE_BACKOFF_MS, POD_FAILURE_BACKOFF_MS * 2 ** (failuresAfterLastSuccess - 1));
}

/** When a finished pod finished: its last container's end, else the time it was last seen changing. */
export function finishedAt(pod: Pod): number {
  let latest = 0;
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const end = s.state?.terminated?.finishedAt;
    if (end) latest = Math.max(latest, Date.parse(end));
  }
  if (latest) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  return Date.parse(ready ?? pod.metadata?.deletionTimestamp ?? pod.metadata?.creationTimestamp ?? '') || 0;
}

/**
 * How long, from `now`, new pods must still wait: the failures are counted from the finished pods
 * in the order they finished, back to the last success.
 */
export function remainingBackoffMs(finished: Array<{ pod: Pod; failed: boolean }>, now: number): number {
  const ordered = finished.map((f) => ({ at: finishedAt(f.pod), failed: f.failed })).sort((a, b) => a.at - b.at);
  let failures = 0;
  let lastFailure = 0;
  for (const f of ordered) {
    if (!f.failed) {
      failures = 0;
      continue;
    }
    failures++;
    lastFailure = f.at;
  }
  return Math.max(0, lastFailure + backoffDelayMs(failures) - now);
}

// Pure: whether an exited container runs again, and after how long (the kubelet's CrashLoopBackOff).
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
/** A container that ran this long before exiting starts again with the initial delay. */
export const BACKOFF_RESET_MS = 600_000;

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export function shouldRestart(policy: RestartPolicy, exitCode: number): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/** The delay before the next restart, given the previous delay (none before the first) and how long the last run lasted. */
export function nextBackOffMs(previousMs: number | undefined, ranForMs: number): number {
  if (previousMs === undefined || ranForMs >= BACKOFF_RESET_MS) return INITIAL_BACKOFF_MS;
  return Math.min(previousMs * 2, MAX_BACKOFF_MS);
}

/** An exited run's back-off before the next one. */
export interface RestartBackOff {
  delayMs: number;
  restartAt: number;
}

/**
 * The back-off after a run, from that run alone: the delay waited before it started (recorded on
 * the run itself, so an agent restarted meanwhile still doubles it) and when it started and ended.
 */
export function restartBackOff(run: { waitedMs?: number; startedAt: number; finishedAt: number }): RestartBackOff {
  const delayMs = nextBackOffMs(run.waitedMs, run.finishedAt - run.startedAt);
  return { delayMs, restartAt: run.finishedAt + delayMs };
}

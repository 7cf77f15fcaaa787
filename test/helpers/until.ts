// Waiting in tests for what a controller, the daemon or the cluster does in its own time: the
// check's first value that is neither undefined, null nor false, its last error in the failure
// when time runs out. The check runs again after 10 ms, then ever less often up to every 250 ms:
// quick for in-process controllers, light on the machine for containers and nodes. A benchmark
// timing what it waits for asks for a fixed interval instead (everyMs), its figures' resolution.
import assert from 'node:assert/strict';

export async function until<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs?: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let intervalMs = everyMs ?? 10;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    if (everyMs === undefined) intervalMs = Math.min(250, intervalMs * 2);
  }
}

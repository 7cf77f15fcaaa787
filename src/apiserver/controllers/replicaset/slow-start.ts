// Kubernetes' slowStartBatch: calls fn `count` times in batches of 1, 2, 4, … and stops at the
// first batch with a failure, so a create that fails for every pod (quota, a bad template) fails
// once or twice instead of hundreds of times. Returns how many calls succeeded, and the first error.
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0].reason };
    remaining -= batch;
  }
  return { successes };
}

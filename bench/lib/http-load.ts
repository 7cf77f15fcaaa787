// A small HTTP/1.0 load generator for servers that close the connection after each answer, as
// busybox httpd does: every request is a new TCP connection, which is what a Service's DNAT
// rules see (they act once per connection). Raw sockets, so the client is not the bottleneck.
import net from 'node:net';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Requests per second. */
  rate: number;
  /** Each request's latency in ms. */
  latencies: number[];
}

function oneRequest(host: string, port: number, request: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let status = '';
    socket.setNoDelay(true);
    socket.on('connect', () => socket.end(request));
    socket.on('data', (d: Buffer) => {
      if (status.length < 12) status += d.toString('latin1', 0, 12);
    });
    socket.on('error', reject);
    socket.on('close', () => (status.startsWith('HTTP/1.') && status.slice(9, 12) === '200' ? resolve() : reject(new Error(`answer: ${status || 'none'}`))));
  });
}

/**
 * `concurrency` loops, each sending one request after another for `seconds`, to the targets in
 * turn (several pod IPs, to spread a direct baseline over the same backends a Service uses).
 */
export async function httpLoad(targets: Array<{ host: string; port: number }>, seconds: number, concurrency: number, path = '/'): Promise<LoadResult> {
  const request = Buffer.from(`GET ${path} HTTP/1.0\r\nHost: bench\r\n\r\n`);
  const end = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const target = targets[next++ % targets.length];
        const t0 = performance.now();
        try {
          await oneRequest(target.host, target.port, request);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { requests: latencies.length, errors, seconds: elapsed, rate: latencies.length / elapsed, latencies };
}

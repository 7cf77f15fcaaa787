// Ingress figures (issue "Services, pod network, cluster DNS and Ingress"), each beside its
// baseline measured in the same run: the same requests sent straight to the backend.
// Three threads, so no one is another's bottleneck on a 2-core machine: the backend (a keep-alive
// Node HTTP server on 127.0.0.1 answering 2 bytes), the load generator (undici, keep-alive), and
// the main thread running the ingress proxy against an in-process API (SQLite registry) holding the
// Ingress, the Service and hand-written Endpoints that point at the backend.
// Run: npm run bench -- ingress
import { SharedInformers } from '../src/api/shared-informers.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import { findByKind } from '../src/api/resources.js';
import { IngressProxy } from '../src/nodeagent/ingress/ingress-proxy.js';
import { inProcessRegistry } from '../test/helpers/in-process-registry.js';
import { line, median } from './lib/report.js';

const HOST = 'bench.example';
const LATENCY_REQUESTS = 3000;
const THROUGHPUT_SECONDS = 4;
const CONNECTIONS = 32;

interface LoadRequest {
  port: number;
  host: string;
}
interface LoadResult {
  latenciesMs: number[];
  requestsPerSecond: number;
  errors: number;
}

/** Median latency one request at a time on one connection, then throughput with many connections. */
async function generateLoad({ port, host }: LoadRequest): Promise<LoadResult> {
  const origin = `http://127.0.0.1:${port}`;
  const one = new Pool(origin, { connections: 1 });
  const request = async (pool: Pool): Promise<void> => {
    const res = await pool.request({ path: '/', method: 'GET', headers: { host } });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  };
  for (let i = 0; i < 500; i++) await request(one);
  const latenciesMs: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    const t = performance.now();
    await request(one);
    latenciesMs.push(performance.now() - t);
  }
  await one.close();

  const many = new Pool(origin, { connections: CONNECTIONS });
  let done = 0;
  let errors = 0;
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        await request(many);
        done++;
      } catch {
        errors++;
      }
    }
  };
  const warm = Array.from({ length: CONNECTIONS }, loop);
  await new Promise((r) => setTimeout(r, 500));
  const start = performance.now();
  const startCount = done;
  await new Promise((r) => setTimeout(r, THROUGHPUT_SECONDS * 1000));
  const requestsPerSecond = ((done - startCount) * 1000) / (performance.now() - start);
  running = false;
  await Promise.all(warm);
  await many.close();
  return { latenciesMs, requestsPerSecond, errors };
}

function runBackend(): void {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => parentPort!.postMessage((server.address() as AddressInfo).port));
}

function startWorker<T>(data: unknown): { worker: Worker; first: Promise<T> } {
  const worker = new Worker(new URL(import.meta.url), { workerData: data });
  const first = new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, first };
}

async function main(): Promise<void> {
  // Other work on the machine moves these figures a lot: the load says how much there was.
  process.stdout.write(`kctl ingress benchmark (node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)})\n`);
  const backend = startWorker<number>({ role: 'backend' });
  const backendPort = await backend.first;
  const { registry, client, done } = inProcessRegistry();
  const informers = new SharedInformers(client);
  informers.start();
  const proxy = new IngressProxy({ client, informers, port: 0 });
  try {
    registry.create(findByKind('Service')!, 'default', { metadata: { name: 'bench' }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    registry.create(findByKind('Endpoints')!, 'default', {
      metadata: { name: 'bench' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port: backendPort, protocol: 'TCP' }] }],
    });
    registry.create(findByKind('Ingress')!, 'default', {
      metadata: { name: 'bench' },
      spec: { rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'bench', port: { name: 'http' } } } }] } }] },
    });
    const { port: proxyPort } = await proxy.start();
    process.stdout.write(
      `backend: Node http server on 127.0.0.1:${backendPort} (own thread) answering 200 "ok"; ` +
        `load: undici, 1 connection for latency (${LATENCY_REQUESTS} requests), ${CONNECTIONS} keep-alive connections for ${THROUGHPUT_SECONDS} s of throughput\n`,
    );

    const measure = async (port: number): Promise<LoadResult> => {
      const load = startWorker<LoadResult>({ role: 'load', port, host: HOST } satisfies LoadRequest & { role: string });
      const result = await load.first;
      await load.worker.terminate();
      return result;
    };
    const direct = await measure(backendPort);
    const proxied = await measure(proxyPort);

    const directMs = median(direct.latenciesMs);
    const proxiedMs = median(proxied.latenciesMs);
    const added = proxiedMs - directMs;
    process.stdout.write(
      `direct to backend: median ${directMs.toFixed(3)} ms, ${direct.requestsPerSecond.toFixed(0)} req/s\n` +
        `through the proxy: median ${proxiedMs.toFixed(3)} ms, ${proxied.requestsPerSecond.toFixed(0)} req/s ` +
        `(${((100 * proxied.requestsPerSecond) / direct.requestsPerSecond).toFixed(0)} % of direct)\n`,
    );
    line('ingress added latency, median', `${added.toFixed(3)} ms (${proxiedMs.toFixed(3)} vs direct ${directMs.toFixed(3)}): ${(proxiedMs / directMs).toFixed(2)}x`, '<= 1 ms', added <= 1);
    const errors = direct.errors + proxied.errors;
    line('ingress throughput, small requests', `${proxied.requestsPerSecond.toFixed(0)} req/s (direct ${direct.requestsPerSecond.toFixed(0)})${errors ? `, ${errors} errors` : ''}`, '>= 5000 req/s', proxied.requestsPerSecond >= 5000 && errors === 0);
  } finally {
    await proxy.stop();
    informers.stop();
    await backend.worker.terminate();
    done();
  }
}

if (isMainThread) await main();
else if (workerData.role === 'backend') runBackend();
else parentPort!.postMessage(await generateLoad(workerData as LoadRequest));

// A hollow node's agent port: only /metrics/resource, with the node's made-up usage, for the API
// server's metrics collector (its proxy identity, checked by TokenReview as a real agent checks it).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { API_SERVER_PROXY_USER } from '../../api/remotecommand.js';
import { RESOURCE_METRICS_PATH } from '../../api/metrics/resource-metrics.js';
import type { StatsSource } from '../stats/container-stats.js';
import { resourceMetricsText } from '../stats/resource-metrics-text.js';
import type { TokenReviewer } from '../server/token-reviewer.js';

function answer(res: ServerResponse, code: number, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse, reviewer: TokenReviewer, stats: StatsSource): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const user = auth.startsWith('Bearer ') ? await reviewer.review(auth.slice(7).trim()) : undefined;
  if (!user) return answer(res, 401, 'Unauthorized');
  if (user.username !== API_SERVER_PROXY_USER) return answer(res, 403, `Forbidden (user=${user.username})`);
  if (new URL(req.url ?? '/', 'http://hollow').pathname !== RESOURCE_METRICS_PATH) return answer(res, 404, 'a hollow node serves only /metrics/resource');
  const { contentType, body } = await resourceMetricsText(stats);
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Listens on a free loopback port; answers the server and its port. */
export async function startHollowEndpoint(reviewer: TokenReviewer, stats: StatsSource): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    handle(req, res, reviewer, stats).catch((err: Error) => answer(res, 500, err.message));
  });
  // Longer than the API server's metrics collector keeps an idle connection (60 s).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: (server.address() as { port: number }).port };
}

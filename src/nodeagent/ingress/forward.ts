// Forwards one HTTP request to an upstream over a keep-alive agent, as a reverse proxy does: the
// Host header is kept, hop-by-hop headers are not passed on (RFC 9110 7.6.1), and X-Forwarded-For,
// -Host, -Proto and -Port tell the backend where the request came from.
import http from 'node:http';
import type { Upstream } from './backend-pool.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/**
 * Header names (lowercase) to drop: the hop-by-hop ones and whatever the Connection header lists.
 * The common case, `Connection: keep-alive` or none, shares one set.
 */
function droppedHeaders(connection: string | undefined): ReadonlySet<string> {
  if (!connection) return HOP_BY_HOP;
  const listed = connection.toLowerCase().split(',');
  let dropped: Set<string> | undefined;
  for (const token of listed) {
    const name = token.trim();
    if (name && !HOP_BY_HOP.has(name)) (dropped ??= new Set(HOP_BY_HOP)).add(name);
  }
  return dropped ?? HOP_BY_HOP;
}

function upstreamHeaders(req: http.IncomingMessage, listenPort: number): http.OutgoingHttpHeaders {
  const raw = req.rawHeaders;
  const dropped = droppedHeaders(req.headers.connection);
  const out: http.OutgoingHttpHeaders = {};
  let forwardedFor: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (dropped.has(name)) continue;
    if (name === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? raw[i + 1] : `${forwardedFor}, ${raw[i + 1]}`;
      continue;
    }
    if (name.startsWith('x-forwarded-')) continue;
    const prev = out[name];
    out[name] = prev === undefined ? raw[i + 1] : Array.isArray(prev) ? [...prev, raw[i + 1]] : [prev as string, raw[i + 1]];
  }
  const client = req.socket.remoteAddress ?? '';
  out['x-forwarded-for'] = forwardedFor === undefined ? client : `${forwardedFor}, ${client}`;
  if (req.headers.host !== undefined) out['x-forwarded-host'] = req.headers.host;
  out['x-forwarded-proto'] = 'http';
  out['x-forwarded-port'] = String(listenPort);
  return out;
}

function responseHeaders(res: http.IncomingMessage): http.OutgoingHttpHeaders {
  const dropped = droppedHeaders(res.headers.connection);
  const raw = res.rawHeaders;
  const out: http.OutgoingHttpHeaders = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (dropped.has(name)) continue;
    const prev = out[name];
    out[name] = prev === undefined ? raw[i + 1] : Array.isArray(prev) ? [...prev, raw[i + 1]] : [prev as string, raw[i + 1]];
  }
  return out;
}

export function sendError(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${status} ${text}\n`;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * `onFailure` hears of an upstream that could not be reached or broke off; the client then gets a
 * 502, or its connection is cut when the response had begun. A request without a body that failed
 * on a reused keep-alive connection (the upstream closed it as we sent) is tried once more, on a
 * fresh connection, as Node's documentation advises.
 */
export function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upstream: Upstream,
  agent: http.Agent,
  listenPort: number,
  onFailure: (err: Error) => void,
): void {
  const headers = upstreamHeaders(req, listenPort);
  const retryable = NO_BODY.has(req.method ?? '') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
  const send = (attempt: number): void => {
    const out = http.request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers, agent }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, responseHeaders(upRes));
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    out.on('error', (err) => {
      if (attempt === 0 && retryable && out.reusedSocket && !res.headersSent) return send(1);
      onFailure(err);
      sendError(res, 502, 'Bad Gateway');
    });
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    if (retryable) out.end();
    else req.pipe(out);
  };
  send(0);
}

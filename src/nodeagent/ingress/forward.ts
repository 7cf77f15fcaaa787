// Forwards one HTTP request to an upstream, as a reverse proxy does: the Host header is kept,
// hop-by-hop headers are not passed on (RFC 9110 7.6.1), and X-Forwarded-For, -Host, -Proto and
// -Port tell the backend where the request came from. Upstream connections are undici's: kept
// alive per upstream and reused, with less work per request than node:http's client.
import type http from 'node:http';
import type { Dispatcher } from 'undici';
import type { Upstream } from './backend-pool.js';

/** Hop-by-hop headers, and `expect`: Node's server has already answered 100 Continue itself. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

/**
 * Header names (lowercase) not to pass on: the hop-by-hop ones and whatever the Connection header
 * lists. The common case, `Connection: keep-alive` or none, shares one set.
 */
function notForwarded(connection: string | undefined): ReadonlySet<string> {
  if (!connection) return NOT_FORWARDED;
  let names: Set<string> | undefined;
  for (const token of connection.toLowerCase().split(',')) {
    const name = token.trim();
    if (name && !NOT_FORWARDED.has(name)) (names ??= new Set(NOT_FORWARDED)).add(name);
  }
  return names ?? NOT_FORWARDED;
}

/** The request's headers for the upstream, as a flat name/value list (undici takes it as is). */
function upstreamHeaders(req: http.IncomingMessage, listenPort: string): string[] {
  const raw = req.rawHeaders;
  const skip = notForwarded(req.headers.connection);
  const out: string[] = [];
  let forwardedFor: string | undefined;
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (skip.has(name)) continue;
    const value = raw[i + 1];
    if (name === 'host') {
      // A second Host header is not passed on: the first is the one routed by.
      if (host !== undefined) continue;
      host = value;
    } else if (name === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      continue;
    } else if (name.startsWith('x-forwarded-')) continue;
    out.push(name, value);
  }
  const client = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', forwardedFor === undefined ? client : `${forwardedFor}, ${client}`);
  if (host !== undefined) out.push('x-forwarded-host', host);
  out.push('x-forwarded-proto', 'http', 'x-forwarded-port', listenPort);
  return out;
}

function responseHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const connection = headers.connection;
  const skip = notForwarded(typeof connection === 'string' ? connection : undefined);
  const out: http.OutgoingHttpHeaders = {};
  for (const name in headers) if (!skip.has(name)) out[name] = headers[name];
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
 * 502, or its connection is cut when the response had begun. The upstream response streams back
 * with back-pressure: reading from the upstream pauses while the client is slower.
 */
export function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upstream: Upstream,
  dispatcher: Dispatcher,
  listenPort: string,
  onFailure: (err: Error) => void,
): void {
  const method = req.method ?? 'GET';
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  let controller: Dispatcher.DispatchController | undefined;
  const onClientGone = (): void => {
    if (!res.writableFinished) controller?.abort(new Error('client went away'));
  };
  const fail = (err: Error): void => {
    onFailure(err);
    sendError(res, 502, 'Bad Gateway');
  };
  res.once('close', onClientGone);
  try {
    dispatcher.dispatch(
      { origin: upstream.origin, path: req.url ?? '/', method: method as Dispatcher.HttpMethod, headers: upstreamHeaders(req, listenPort), body: hasBody ? req : null },
      {
        onRequestStart(c) {
          controller = c;
        },
        onResponseStart(_c, statusCode, headers, statusMessage) {
          if (statusCode < 200) return;
          res.writeHead(statusCode, statusMessage, responseHeaders(headers));
        },
        onResponseData(c, chunk) {
          if (!res.write(chunk)) {
            c.pause();
            res.once('drain', () => c.resume());
          }
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError(_c, err) {
          if (res.destroyed) return;
          fail(err);
        },
      },
    );
  } catch (err) {
    fail(err as Error);
  }
}

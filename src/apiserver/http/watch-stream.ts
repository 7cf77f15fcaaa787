// A watch response: newline-delimited `{"type":...,"object":...}` events in one chunked response,
// written as they are committed. A client that stops reading is disconnected rather than buffered
// for without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import type { Registry } from '../registry/registry.js';
import { toTable } from '../../api/printers/table.js';
import type { Negotiated } from './resource-handler.js';

const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;

export function serveWatch(
  registry: Registry,
  r: ResourceType,
  ns: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
  neg: Negotiated,
): void {
  let closed = false;
  let sub: { close(reason?: string): void } | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timeoutTimer);
    clearInterval(bookmarkTimer);
    sub?.close('client gone');
    if (!res.writableEnded) res.end();
  };
  const write = (line: string) => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BACKLOG_BYTES) finish();
  };
  const send = (type: string, json: string, obj?: KubeObject) => {
    if (!neg.table) {
      write(`{"type":"${type}","object":${json}}\n`);
      return;
    }
    const table = toTable(r, [obj ?? (JSON.parse(json) as KubeObject)], { now: new Date(), includeObject: neg.includeObject });
    write(`${JSON.stringify({ type, object: table })}\n`);
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  // Headers go out at once, so a client knows the watch is established before any event.
  res.flushHeaders();
  try {
    sub = registry.watch(r, ns, {
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector: q.get('fieldSelector') ?? undefined,
      resourceVersion: q.get('resourceVersion') ?? undefined,
      onEvent: send,
      onClose: () => finish(),
    });
  } catch (err) {
    // Errors after the 200 travel in the stream, as Kubernetes sends "too old resource version".
    const status = err instanceof ApiError ? err.toStatus() : new ApiError('InternalError', String(err)).toStatus();
    write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    finish();
    return;
  }
  req.on('close', finish);
  res.on('close', finish);
  const timeout = Number(q.get('timeoutSeconds'));
  if (timeout > 0) timeoutTimer = setTimeout(finish, timeout * 1000);
  if (q.get('allowWatchBookmarks') === 'true') {
    // Bookmarks move a quiet watcher's resourceVersion forward, so its restart need not re-list.
    bookmarkTimer = setInterval(() => {
      const object = { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(registry.store.currentRevision) } };
      write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
    }, BOOKMARK_INTERVAL_MS).unref();
  }
}

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
import type { ListQuery } from './query-options.js';

const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;
/** Kubernetes sends a quiet watcher a bookmark about once a minute. */
const BOOKMARK_INTERVAL_MS = 60_000;
/** The annotation on the bookmark that ends a watch-list's initial events. */
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/**
 * A BOOKMARK's object: the watched kind with only metadata.resourceVersion (and, ending the
 * initial events, their annotation), as Kubernetes sends it.
 */
export function bookmarkObject(r: ResourceType, rev: number, initialEventsEnd = false): object {
  const metadata: Record<string, unknown> = { resourceVersion: String(rev) };
  if (initialEventsEnd) metadata.annotations = { [INITIAL_EVENTS_END]: 'true' };
  return { kind: r.kind, apiVersion: apiVersionOf(r), metadata };
}

export function serveWatch(
  registry: Registry,
  r: ResourceType,
  ns: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  q: ListQuery,
  neg: Negotiated,
): void {
  let closed = false;
  let sub: { close(reason?: string): void } | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const bookmark = (initialEventsEnd = false) =>
    write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmarkObject(r, registry.store.currentRevision, initialEventsEnd) })}\n`);
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
      labelSelector: q.labelSelector,
      fieldSelector: q.fieldSelector,
      resourceVersion: q.resourceVersion,
      sendInitialEvents: q.sendInitialEvents,
      onEvent: send,
      // The end of the initial events is told only to a client that takes bookmarks.
      onInitialEventsEnd: () => q.allowWatchBookmarks && bookmark(true),
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
  const timeout = q.timeoutSeconds ?? 0;
  if (timeout > 0) {
    timeoutTimer = setTimeout(() => {
      // A last bookmark, so the client resumes from here instead of from its last event.
      if (q.allowWatchBookmarks) bookmark();
      finish();
    }, timeout * 1000);
  }
  if (q.allowWatchBookmarks) {
    // Bookmarks move a quiet watcher's resourceVersion forward, so its restart need not re-list.
    bookmarkTimer = setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS).unref();
  }
}

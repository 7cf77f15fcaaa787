// A watch response: events in one chunked response, written as they are committed: newline-delimited
// `{"type":...,"object":...}` in JSON, or length-prefixed WatchEvent frames in protobuf. A client
// that stops reading is disconnected rather than buffered for without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import type { Registry } from '../registry/registry.js';
import { toTable } from '../../api/printers/table.js';
import { encodeWatchFrame, PROTOBUF_MEDIA_TYPE } from '../../api/protobuf/envelope.js';
import type { Negotiated } from './negotiation.js';
import { watchEvents } from '../metrics/apiserver-metrics.js';
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
  const bookmark = (initialEventsEnd = false) => sendObject('BOOKMARK', bookmarkObject(r, registry.store.currentRevision, initialEventsEnd));
  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timeoutTimer);
    clearInterval(bookmarkTimer);
    sub?.close('client gone');
    if (!res.writableEnded) res.end();
  };
  const write = (chunk: string | Buffer) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > MAX_BACKLOG_BYTES) finish();
  };
  const protobuf = neg.format === 'protobuf';
  const watchLabels = { group: r.group, version: r.version, resource: r.plural };
  const sendObject = (type: string, object: object) => write(protobuf ? encodeWatchFrame(type, object) : `${JSON.stringify({ type, object })}\n`);
  const send = (type: string, json: string, obj?: KubeObject) => {
    watchEvents.inc(watchLabels);
    if (neg.table) {
      sendObject(type, toTable(r, [obj ?? (JSON.parse(json) as KubeObject)], { now: new Date(), includeObject: neg.includeObject }));
    } else if (protobuf) {
      sendObject(type, obj ?? (JSON.parse(json) as KubeObject));
    } else {
      // Stored JSON goes out as it is.
      write(`{"type":"${type}","object":${json}}\n`);
    }
  };

  const contentType = protobuf ? `${PROTOBUF_MEDIA_TYPE};stream=watch` : 'application/json';
  res.writeHead(200, { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
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
      committedOnly: true,
    });
  } catch (err) {
    // Errors after the 200 travel in the stream, as Kubernetes sends "too old resource version".
    const status = err instanceof ApiError ? err.toStatus() : new ApiError('InternalError', String(err)).toStatus();
    sendObject('ERROR', status);
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

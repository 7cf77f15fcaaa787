// Writing responses, in the format negotiation chose. Every error leaves as a Kubernetes Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { ProtobufError } from '../../api/protobuf/envelope.js';
import { encode, errorFormat, type Format } from './negotiation.js';

export function sendRaw(res: ServerResponse, code: number, contentType: string, body: string | Buffer): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

export function sendJSON(res: ServerResponse, code: number, obj: unknown): void {
  sendRaw(res, code, 'application/json', JSON.stringify(obj));
}

/** An API object in the negotiated format; one with no protobuf form is refused as Kubernetes does (406). */
export function sendObject(res: ServerResponse, format: Format, code: number, obj: unknown): void {
  let encoded: { contentType: string; body: string | Buffer };
  try {
    encoded = encode(obj, format);
  } catch (err) {
    if (err instanceof ProtobufError) throw new ApiError('NotAcceptable', `${err.message}; only the following media types are accepted: application/json, application/yaml`);
    throw err;
  }
  sendRaw(res, code, encoded.contentType, encoded.body);
}

/** The Status an error leaves as; anything but an ApiError is a bug, logged and answered 500. */
export function toApiError(err: unknown, log: (msg: string) => void): ApiError {
  if (err instanceof ApiError) return err;
  log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return new ApiError('InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
}

export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, log: (msg: string) => void): void {
  const apiErr = toApiError(err, log);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = apiErr.toStatus();
  // As kube-apiserver: a client told to come back later is also told when, which client-go honours.
  const retryAfter = apiErr.details?.retryAfterSeconds;
  if (retryAfter && (apiErr.code === 429 || apiErr.code === 503)) res.setHeader('Retry-After', String(retryAfter));
  // A 406 is written as JSON: the client has just been told it accepts nothing else served.
  sendObject(res, apiErr.reason === 'NotAcceptable' ? 'json' : errorFormat(req), apiErr.code, status);
}

// Writing responses. Every error leaves as a Kubernetes Status object.
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';

export function sendRaw(res: ServerResponse, code: number, contentType: string, body: string | Buffer): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

export function sendJSON(res: ServerResponse, code: number, obj: unknown): void {
  sendRaw(res, code, 'application/json', JSON.stringify(obj));
}

/** The Status an error leaves as; anything but an ApiError is a bug, logged and answered 500. */
export function toApiError(err: unknown, log: (msg: string) => void): ApiError {
  if (err instanceof ApiError) return err;
  log(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  return new ApiError('InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
}

export function sendError(res: ServerResponse, err: unknown, log: (msg: string) => void): void {
  const apiErr = toApiError(err, log);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJSON(res, apiErr.code, apiErr.toStatus());
}

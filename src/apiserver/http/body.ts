// Request bodies: size-limited, JSON (or YAML, which Kubernetes also accepts), malformed input
// answered with 400 and a pointer to where it broke.
import type { IncomingMessage } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';

/** Kubernetes' own limit for a request body. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Past the limit the rest is read and dropped, so the client gets the 413 instead of a reset.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new ApiError('BadRequest', `the request body is too large (limit ${MAX_BODY_BYTES} bytes)`, undefined, 413);
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

export async function decodeBody(req: IncomingMessage, raw: Buffer): Promise<unknown> {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the request body is empty');
  const type = mediaType(req);
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    const { parseDocument } = await import('yaml');
    const doc = parseDocument(text);
    if (doc.errors.length) throw errors.badRequest(`error parsing YAML body: ${doc.errors[0].message}`);
    return doc.toJS();
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`error decoding the request body as JSON: ${(err as Error).message}`);
  }
}

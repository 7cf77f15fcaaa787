// Request bodies: size-limited; an object in JSON, YAML or Kubernetes protobuf (negotiation.ts says
// which), a patch in JSON or YAML. Malformed input and objects of the wrong kind are answered 400
// with the texts Kubernetes' decoder gives.
import type { IncomingMessage } from 'node:http';
import { parseDocument } from 'yaml';
import { ApiError, errors } from '../../api/errors.js';
import { decodeObject } from '../../api/protobuf/envelope.js';
import { messageForKind } from '../../api/protobuf/codec.js';
import { bodyFormat, mediaType, type Format } from './negotiation.js';

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

/** The kind a request body must be, as its path says. */
export interface ExpectedKind {
  apiVersion: string;
  kind: string;
}

/** Kubernetes shows the start of a body it cannot read: as text when it looks like JSON, else in hex. */
function summarize(raw: Buffer): string {
  const max = 30;
  if (raw.length === 0) return '<empty>';
  const head = raw.subarray(0, max);
  const shown = raw[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return raw.length > max ? `${shown} ...` : shown;
}

function parseText(raw: Buffer, format: 'json' | 'yaml'): unknown {
  const text = raw.toString('utf8');
  if (format === 'yaml') {
    const doc = parseDocument(text);
    if (doc.errors.length) throw new Error(`error converting YAML to JSON: ${doc.errors[0].message}`);
    try {
      // Aliases are expanded up to yaml's default of 100: a "billion laughs" body is refused, not expanded.
      return doc.toJS();
    } catch (err) {
      throw new Error(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(goJsonError(err as Error, text));
  }
}

/** Go's encoding/json words the two most common failures (YAML or nothing sent as JSON) so; others keep the parser's text. */
function goJsonError(err: Error, text: string): string {
  if (text.trim() === '' || /Unexpected end of JSON input/.test(err.message)) return 'unexpected end of JSON input';
  const first = text.trimStart()[0];
  if (!'{["-0123456789tfn'.includes(first)) return `invalid character '${first}' looking for beginning of value`;
  return err.message;
}

function parseObject(raw: Buffer, format: Format): Record<string, any> {
  if (format === 'protobuf') return decodeObject(raw);
  let data: unknown;
  try {
    data = parseText(raw, format);
  } catch (err) {
    throw format === 'json' ? new Error(`couldn't get version/kind; json parse error: ${(err as Error).message}`) : err;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`couldn't get version/kind; json parse error: the body is not a JSON object`);
  }
  return data as Record<string, any>;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Why Kubernetes cannot turn one kind into another, naming the Go types: `v1.Pod`, `core.Namespace`. */
function conversionError(data: ExpectedKind, expected: ExpectedKind): string {
  if (!messageForKind(data.apiVersion, data.kind)) {
    return `no kind "${data.kind}" is registered for version "${data.apiVersion}" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"`;
  }
  const internalPackage = splitApiVersion(expected.apiVersion).group.split('.')[0] || 'core';
  return `converting (${splitApiVersion(data.apiVersion).version}.${data.kind}) to (${internalPackage}.${expected.kind}): unknown conversion`;
}

/**
 * The object in a request body, as JSON data. A body without apiVersion and kind is taken to be
 * the kind its path says; one of another kind is refused as Kubernetes refuses it.
 */
export function decodeObjectBody(req: IncomingMessage, raw: Buffer, expected: ExpectedKind): Record<string, any> {
  const format = bodyFormat(req);
  let obj: Record<string, any>;
  try {
    obj = parseObject(raw, format);
  } catch (err) {
    if (err instanceof ApiError || !(err instanceof Error)) throw err;
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${err.message} (${summarize(raw)})`);
  }
  if (typeof obj.kind === 'string' && obj.kind !== '' && obj.kind !== expected.kind) {
    const data = { apiVersion: typeof obj.apiVersion === 'string' ? obj.apiVersion : expected.apiVersion, kind: obj.kind };
    throw errors.badRequest(`${data.kind} in version "${splitApiVersion(data.apiVersion).version}" cannot be handled as a ${expected.kind}: ${conversionError(data, expected)}`);
  }
  return obj;
}

/** A patch document: JSON, or YAML for the media types that are YAML. */
export function decodePatchBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.toString('utf8').trim() === '') throw errors.badRequest('the request body is empty');
  try {
    return parseText(raw, mediaType(req).endsWith('yaml') ? 'yaml' : 'json');
  } catch (err) {
    throw errors.badRequest(`error decoding the patch: ${(err as Error).message}`);
  }
}

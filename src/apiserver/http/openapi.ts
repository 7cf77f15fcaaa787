// /openapi/v2 (JSON, or gnostic protobuf for kubectl) and /openapi/v3 (an index of group versions,
// each document at a URL keyed by its hash), with ETags and 304s, and the immutable caching
// Kubernetes gives a hash-keyed URL. The documents are built on first request and kept until the
// kinds served change (a CustomResourceDefinition served or gone).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { catalogueGeneration } from '../../api/resources.js';
import { swaggerDocument, openApiV3Documents } from '../openapi/documents.js';
import { encodeSwaggerProtobuf } from '../openapi/gnostic.js';
import { KUBERNETES_VERSION } from './discovery.js';
import { PATCH_TYPES } from './resource-handler.js';
import { servedMediaTypes } from './negotiation.js';

// kubectl asks for the `@` spelling, which Go's MIME parser cannot read back: the answer is labelled
// with the dotted one, as Kubernetes labels it.
const V2_PROTOBUF_TYPES = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
const V2_PROTOBUF_CONTENT_TYPE = V2_PROTOBUF_TYPES[1];
const V3_PREFIX = '/openapi/v3/';

interface Served {
  bytes: Buffer;
  /** Uppercase hex SHA-512 of the bytes, as Kubernetes computes it. */
  hash: string;
}

interface Documents {
  /** The catalogue they were built from (see catalogueGeneration). */
  generation: number;
  lastModified: string;
  swagger: Record<string, unknown>;
  v2Json: Served;
  /** Encoded on first request: only kubectl's apply and create ask for it. */
  v2Protobuf?: Served;
  v3: Map<string, Served>;
  v3Index: Served;
}

function served(bytes: Buffer): Served {
  return { bytes, hash: createHash('sha512').update(bytes).digest('hex').toUpperCase() };
}

let documents: Documents | undefined;

function build(): Documents {
  const generation = catalogueGeneration();
  const version = KUBERNETES_VERSION.gitVersion;
  const swagger = swaggerDocument(version, {
    responses: servedMediaTypes(),
    watches: servedMediaTypes(true).map((t) => `${t};stream=watch`),
    patches: Object.keys(PATCH_TYPES),
  });
  const v3 = new Map<string, Served>();
  for (const [key, doc] of openApiV3Documents(version, swagger)) v3.set(key, served(Buffer.from(JSON.stringify(doc))));
  const index = { paths: Object.fromEntries([...v3].map(([key, doc]) => [key, { serverRelativeURL: `${V3_PREFIX}${key}?hash=${doc.hash}` }])) };
  return {
    generation,
    lastModified: new Date().toUTCString(),
    swagger,
    v2Json: served(Buffer.from(JSON.stringify(swagger))),
    v3,
    v3Index: served(Buffer.from(JSON.stringify(index))),
  };
}

export function isOpenApiPath(path: string): boolean {
  return path === '/openapi/v2' || path === '/openapi/v3' || path.startsWith(V3_PREFIX);
}

export function serveOpenApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (documents?.generation !== catalogueGeneration()) documents = build();
  const accept = req.headers.accept ?? '';
  if (path === '/openapi/v2') {
    if (V2_PROTOBUF_TYPES.some((t) => accept.includes(t))) {
      documents.v2Protobuf ??= served(encodeSwaggerProtobuf(documents.swagger));
      return send(req, res, documents.v2Protobuf, V2_PROTOBUF_CONTENT_TYPE);
    }
    return send(req, res, documents.v2Json, 'application/json');
  }
  if (path === '/openapi/v3') return send(req, res, documents.v3Index, 'application/json');
  const key = path.slice(V3_PREFIX.length);
  const doc = documents.v3.get(key);
  if (!doc) throw new ApiError('NotFound', 'the server could not find the requested resource');
  if (accept.includes('protobuf') && !/application\/json|\*\/\*/.test(accept)) {
    throw new ApiError('NotAcceptable', 'only application/json is served for OpenAPI v3 documents');
  }
  const hash = query.get('hash');
  if (hash && hash !== doc.hash) {
    // An old hash: the document changed; Kubernetes redirects to the current one.
    res.writeHead(301, { Location: `${V3_PREFIX}${key}?hash=${doc.hash}` });
    res.end();
    return;
  }
  // A hash-keyed URL never changes content, so it may be cached for good.
  const cache: Record<string, string> = hash ? { 'Cache-Control': 'public, immutable', Expires: new Date(Date.now() + 365 * 86_400_000).toUTCString(), Vary: 'Accept' } : {};
  send(req, res, doc, 'application/json', cache);
}

function send(req: IncomingMessage, res: ServerResponse, doc: Served, contentType: string, headers: Record<string, string> = {}): void {
  const etag = `"${doc.hash}"`;
  const common = { ETag: etag, 'Last-Modified': documents!.lastModified, 'Cache-Control': 'no-cache, private', ...headers };
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  res.writeHead(200, { ...common, 'Content-Type': contentType, 'Content-Length': doc.bytes.length });
  res.end(req.method === 'HEAD' ? undefined : doc.bytes);
}

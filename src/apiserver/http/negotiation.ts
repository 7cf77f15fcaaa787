// Content negotiation, in one place: the format a request body is in (Content-Type) and the one a
// response is written in (Accept), as Kubernetes' negotiation does it. JSON, YAML and Kubernetes
// protobuf are served; kubectl's `as=Table` asks for server-printed columns (JSON or YAML only:
// a Table has no protobuf form).
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { encodeObject, PROTOBUF_MEDIA_TYPE } from '../../api/protobuf/envelope.js';
import { toYaml } from '../../api/printers/yaml-json.js';

export type Format = 'json' | 'yaml' | 'protobuf';
export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface Negotiated {
  format: Format;
  table: boolean;
  includeObject: IncludeObject;
}

const MEDIA_TYPES: Record<Format, string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  protobuf: PROTOBUF_MEDIA_TYPE,
};
const BY_MEDIA_TYPE = new Map(Object.entries(MEDIA_TYPES).map(([format, type]) => [type, format as Format]));

/** The media types responses are written in (a watch cannot be YAML). */
export function servedMediaTypes(streaming = false): string[] {
  return streaming ? [MEDIA_TYPES.json, MEDIA_TYPES.protobuf] : Object.values(MEDIA_TYPES);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** The format of a request's body; anything else is refused with Kubernetes' 415. */
export function bodyFormat(req: IncomingMessage): Format {
  const format = BY_MEDIA_TYPE.get(mediaType(req));
  if (!format) throw unsupportedMediaType(Object.values(MEDIA_TYPES));
  return format;
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

interface Clause {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(header: string): Clause[] {
  const clauses: Clause[] = [];
  for (const part of header.split(',')) {
    const [type, ...rest] = part.split(';').map((s) => s.trim());
    if (!type) continue;
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    if (!(q > 0)) continue;
    clauses.push({ type: type.toLowerCase(), params, q });
  }
  // Stable: equal weights keep the client's order.
  return clauses.map((c, i) => ({ c, i })).sort((a, b) => b.c.q - a.c.q || a.i - b.i).map(({ c }) => c);
}

/** The format of one Accept clause, and whether it asks for a Table; undefined when it names something not served. */
function clauseFormat(c: Clause, streaming: boolean, protobuf: boolean): { format: Format; table: boolean } | undefined {
  const format = c.type === '*/*' || c.type === 'application/*' ? 'json' : BY_MEDIA_TYPE.get(c.type);
  if (!format || (streaming && format === 'yaml') || (!protobuf && format === 'protobuf')) return undefined;
  const as = c.params.get('as');
  if (as === undefined) return { format, table: false };
  // Only meta.k8s.io's Table (v1, or v1beta1 which kubectl still lists) is offered as a conversion.
  const table = as === 'Table' && c.params.get('g') === 'meta.k8s.io' && ['v1', 'v1beta1'].includes(c.params.get('v') ?? '');
  return table && format !== 'protobuf' ? { format, table } : undefined;
}

/**
 * The response format the client prefers among those served, highest weight first then its own
 * order; 406 with Kubernetes' message when it accepts none. Watches cannot be written as YAML;
 * custom resources (protobuf false) are JSON and YAML only, so kubectl's
 * `application/vnd.kubernetes.protobuf, application/json` gets JSON for them.
 */
export function negotiate(req: IncomingMessage, query: URLSearchParams, streaming = false, protobuf = true): Negotiated {
  const inc = query.get('includeObject');
  const includeObject: IncludeObject = inc === 'None' || inc === 'Object' ? inc : 'Metadata';
  const header = req.headers.accept?.trim();
  if (!header) return { format: 'json', table: false, includeObject };
  for (const clause of parseAccept(header)) {
    const chosen = clauseFormat(clause, streaming, protobuf);
    if (chosen) return { ...chosen, includeObject };
  }
  const served = servedMediaTypes(streaming).filter((t) => protobuf || t !== MEDIA_TYPES.protobuf);
  throw new ApiError('NotAcceptable', `only the following media types are accepted: ${served.join(', ')}`);
}

/** The response format for an error: what the client accepts, or JSON when it accepts nothing served. */
export function errorFormat(req: IncomingMessage): Format {
  try {
    return negotiate(req, new URLSearchParams()).format;
  } catch {
    return 'json';
  }
}

/** An API object (a kind, a list, a Status) in a format, with its Content-Type. */
export function encode(obj: any, format: Format): { contentType: string; body: string | Buffer } {
  switch (format) {
    case 'json':
      return { contentType: MEDIA_TYPES.json, body: JSON.stringify(obj) };
    case 'yaml':
      // Kubernetes writes YAML as kubectl prints it (both go through go-yaml v2).
      return { contentType: MEDIA_TYPES.yaml, body: toYaml(obj) };
    case 'protobuf':
      return { contentType: MEDIA_TYPES.protobuf, body: encodeObject(obj) };
  }
}

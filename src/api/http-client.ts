// The ApiClient over HTTP, for the CLI and the node agents. node:http keeps the CLI's start-up
// cheap (no extra module graph to load) and streams watches line by line.
import http from 'node:http';
import https from 'node:https';
import type { ApiClient, DeleteOptions, ListOptions, PatchType, WatchHandle, WatchOptions, WriteOptions } from './client.js';
import type { KubeList, KubeObject, Table, WatchEvent } from './types.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import { ApiError } from './errors.js';

export interface Connection {
  server: string;
  token?: string;
  /** Skip TLS verification (https servers only). */
  insecure?: boolean;
  /** PEM of the certificate authority that signed the server's certificate. */
  ca?: string;
  /**
   * Sent as User-Agent (default `kctl`). The server names the writer of a change after it when no
   * fieldManager is given, so components identify themselves as Kubernetes' do (`kubelet/v1.32.0 …`).
   */
  userAgent?: string;
  /** A TLS client certificate and its key (PEM), which identify the client instead of a token. */
  cert?: string;
  key?: string;
  /** Act as this user and groups (Impersonate-User, Impersonate-Group headers), as `kubectl --as --as-group`. */
  impersonate?: { user: string; groups: string[] };
}

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // YAML is a superset of JSON: the body goes as JSON, as client-go's apply does.
  apply: 'application/apply-patch+yaml',
};

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export function resourcePath(r: ResourceType, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : '/api/v1';
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function listQuery(opts: ListOptions = {}): Record<string, string | number | undefined> {
  return {
    labelSelector: opts.labelSelector,
    fieldSelector: opts.fieldSelector,
    limit: opts.limit,
    continue: opts.continue,
    resourceVersion: opts.resourceVersion,
  };
}

function writeQuery(opts: WriteOptions = {}): Record<string, string | undefined> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, force: opts.force ? 'true' : undefined };
}

export class HttpClient implements ApiClient {
  private readonly base: URL;
  private agent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(readonly conn: Connection) {
    this.base = new URL(conn.server);
    this.mod = this.base.protocol === 'https:' ? https : http;
    this.agent = this.newAgent();
  }

  private newAgent(): http.Agent {
    const c = this.conn;
    return this.base.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: !c.insecure, ca: c.ca, cert: c.cert, key: c.key })
      : new http.Agent({ keepAlive: true });
  }

  /**
   * Switches to a new client certificate (a rotation): new requests use it at once, and the
   * connections made with the old one are closed, so watches re-establish with the new identity
   * as the kubelet's certificate manager makes them.
   */
  setClientCertificate(cert: string, key: string): void {
    const old = this.agent;
    this.conn.cert = cert;
    this.conn.key = key;
    this.agent = this.newAgent();
    old.destroy();
  }

  private headers(extra: Record<string, string> = {}): Record<string, string | string[]> {
    const h: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': this.conn.userAgent ?? 'kctl', ...extra };
    if (this.conn.token) h.Authorization = `Bearer ${this.conn.token}`;
    if (this.conn.impersonate) {
      h['Impersonate-User'] = this.conn.impersonate.user;
      if (this.conn.impersonate.groups.length) h['Impersonate-Group'] = this.conn.impersonate.groups;
    }
    return h;
  }

  /** One request; a non-2xx answer becomes the ApiError its Status describes. */
  request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = this.mod.request(
        new URL(path, this.base),
        {
          method,
          agent: this.agent,
          headers: this.headers({
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
            ...headers,
          }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const code = res.statusCode ?? 0;
            let parsed: any;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            if (code >= 200 && code < 300) {
              if (parsed === undefined && text) reject(new ApiError('InternalError', `the server sent a response that is not JSON: ${text.slice(0, 200)}`));
              else resolve(parsed as T);
              return;
            }
            reject(errorFromAnswer(code, text));
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(this.base, err)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.request('GET', resourcePath(r, namespace, name));
  }

  list(r: ResourceType, namespace: string | undefined, opts?: ListOptions): Promise<KubeList> {
    return this.request('GET', resourcePath(r, namespace) + query(listQuery(opts)));
  }

  listTable(r: ResourceType, namespace: string | undefined, opts: ListOptions & { name?: string; includeObject?: string } = {}): Promise<Table> {
    const path = resourcePath(r, namespace, opts.name) + query({ ...listQuery(opts), includeObject: opts.includeObject });
    return this.request('GET', path, undefined, { Accept: TABLE_ACCEPT });
  }

  create(r: ResourceType, namespace: string | undefined, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.request('POST', resourcePath(r, namespace) + query(writeQuery(opts)), { apiVersion: apiVersionOf(r), kind: r.kind, ...obj });
  }

  createSubresource(r: ResourceType, namespace: string | undefined, name: string, subresource: string, body: KubeObject, opts?: WriteOptions): Promise<KubeObject> {
    return this.request('POST', resourcePath(r, namespace, name, subresource) + query(writeQuery(opts)), body);
  }

  update(r: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOptions & { subresource?: string } = {}): Promise<KubeObject> {
    return this.request('PUT', resourcePath(r, namespace, obj.metadata.name!, opts.subresource) + query(writeQuery(opts)), obj);
  }

  patch(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    return this.request('PATCH', resourcePath(r, namespace, name, opts.subresource) + query(writeQuery(opts)), patch, {
      'Content-Type': PATCH_CONTENT_TYPES[type],
    });
  }

  delete(r: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | undefined> {
    return this.request('DELETE', resourcePath(r, namespace, name) + query(writeQuery(opts)), deleteBody(opts));
  }

  deleteCollection(r: ResourceType, namespace: string | undefined, opts: ListOptions & DeleteOptions = {}): Promise<KubeList> {
    return this.request('DELETE', resourcePath(r, namespace) + query({ ...listQuery(opts), ...writeQuery(opts) }), deleteBody(opts));
  }

  watch(r: ResourceType, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): WatchHandle {
    return this.watchPath(
      resourcePath(r, namespace) + query({ ...listQuery(opts), watch: 'true', allowWatchBookmarks: opts.bookmarks ? 'true' : undefined }),
      onEvent,
    );
  }

  /** Streams newline-delimited watch events from path (also used for Table watches). */
  watchPath(path: string, onEvent: (e: WatchEvent) => void, accept = 'application/json'): WatchHandle {
    let stopped = false;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const req = this.mod.request(new URL(path, this.base), { method: 'GET', agent: this.agent, headers: this.headers({ Accept: accept }) }, (res) => {
      if ((res.statusCode ?? 0) >= 300) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            onEvent({ type: 'ERROR', object: JSON.parse(Buffer.concat(chunks).toString()) });
          } catch {
            onEvent({ type: 'ERROR', object: { kind: 'Status', code: res.statusCode, message: 'watch failed' } as any });
          }
          resolveDone();
        });
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim() && !stopped) onEvent(JSON.parse(line) as WatchEvent);
        }
      });
      res.on('end', resolveDone);
      res.on('close', resolveDone);
      res.on('error', resolveDone);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!stopped) onEvent({ type: 'ERROR', object: connectionError(this.base, err).toStatus() as any });
      resolveDone();
    });
    req.end();
    return {
      stop: () => {
        stopped = true;
        req.destroy();
        resolveDone();
      },
      done,
    };
  }

  /**
   * A streaming GET (pods/log): the response once the server has answered 2xx, to read as it
   * arrives; any other answer becomes the ApiError its Status describes.
   */
  stream(path: string): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.mod.request(new URL(path, this.base), { method: 'GET', agent: this.agent, headers: this.headers({ Accept: '*/*' }) }, (res) => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(errorFromAnswer(code, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(this.base, err)));
      req.end();
    });
  }

  /**
   * A WebSocket to path (pods/exec, pods/portforward), with this client's TLS trust and token,
   * open once the server accepted one of the subprotocols. A refused upgrade becomes the ApiError
   * it answered. `paused`: no message is delivered until the caller resumes it, so that what the
   * server sends at once (port-forward's port prefixes) reaches the caller's listeners.
   */
  async webSocket(path: string, protocols: readonly string[], opts: { paused?: boolean } = {}): Promise<import('ws').WebSocket> {
    // Loaded here: only exec needs it, and every other command starts faster without it.
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(new URL(path, this.base), [...protocols], {
      headers: this.headers(),
      ca: this.conn.ca,
      cert: this.conn.cert,
      key: this.conn.key,
      rejectUnauthorized: !this.conn.insecure,
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        if (opts.paused) ws.pause();
        resolve(ws);
      });
      ws.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => reject(errorFromAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      });
      ws.once('error', (err: NodeJS.ErrnoException) => reject(connectionError(this.base, err)));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A non-2xx answer as an ApiError: its Status when it is one, else its text. */
function errorFromAnswer(code: number, text: string): ApiError {
  try {
    const parsed = JSON.parse(text);
    if (parsed?.kind === 'Status') return ApiError.fromStatus(parsed, code);
  } catch {
    // not JSON: the text is the message
  }
  return ApiError.fromStatus({ message: text.trim() || `the server responded with status ${code}` }, code);
}

function deleteBody(opts: DeleteOptions): object | undefined {
  const body: Record<string, unknown> = {};
  if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.preconditions) body.preconditions = opts.preconditions;
  return Object.keys(body).length ? { kind: 'DeleteOptions', apiVersion: 'v1', ...body } : undefined;
}

/** kubectl's wording, so the user knows which server was asked and that it is not up. */
function connectionError(base: URL, err: NodeJS.ErrnoException): ApiError {
  if (err.code === 'ECONNREFUSED') {
    return new ApiError(
      'ServiceUnavailable',
      `The connection to the server ${base.host} was refused - did you specify the right host or port? (start a cluster with: kctl cluster up)`,
    );
  }
  return new ApiError('ServiceUnavailable', `Unable to connect to the server ${base.host}: ${err.message}`);
}

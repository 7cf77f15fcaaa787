// The verbs on a resource path: get, list, watch, create, update, patch, delete, deletecollection,
// and the subresources: their verbs from registry/subresources.ts (the in-process client's too),
// the pod's log here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { apiVersionOf, type ResourceType } from '../../api/resources.js';
import type { DeleteOptions, ListOptions, PatchType, WriteOptions } from '../../api/client.js';
import type { Registry } from '../registry/registry.js';
import { toTable } from '../../api/printers/table.js';
import { decodeObjectBody, decodePatchBody, readBody, type ExpectedKind } from './body.js';
import type { ResourceRequest } from './routes.js';
import { sendObject, sendRaw } from './respond.js';
import { bodyFormat, mediaType, negotiate, unsupportedMediaType, type Negotiated } from './negotiation.js';
import { serveWatch } from './watch-stream.js';
import { parseDeleteOptions, parseListQuery, queryOptionalBool, type ListQuery } from './query-options.js';
import { methodNotAllowed, subresourceVerbs } from '../registry/subresources.js';
import type { SigningKey } from '../serviceaccount/signing-key.js';
import type { PodProxy } from './pod-proxy.js';
import type { WriteAdmission } from '../registry/registry.js';

/** The caller's admission check for a write of this verb (and subresource), if it needs one. */
export type AdmissionFor = (verb: string, subresource?: string) => WriteAdmission | undefined;
import { managerFromUserAgent, validateWriteOptions, type OptionsKind } from '../registry/write-options.js';
import { stampRequester } from './csr-requester.js';
import type { UserInfo } from '../authorization/user.js';

/** The patch media types PATCH accepts (the OpenAPI documents list them too). */
export // In the order Kubernetes lists them when it refuses another type.
const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

// The kind that delete options take, whatever the resource's own group.
const DELETE_OPTIONS: ExpectedKind = { apiVersion: 'v1', kind: 'DeleteOptions' };

function kindOf(r: ResourceType): ExpectedKind {
  return { apiVersion: apiVersionOf(r), kind: r.kind };
}

// Objects read per step of a streamed list, and the size a chunk is written at: small enough to
// stay out of V8's large-object space (over 128 KB), whose garbage only a full collection frees:
// 500 objects at a time left 25 MB of it per list of 10,000 pods.
const STREAMED_BATCH = 8;
const STREAMED_CHUNK_CHARS = 64 * 1024;

/** Resolves once a response's socket takes more, or the response is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** The registry's list options from the decoded query. */
function listOptions(q: ListQuery): ListOptions {
  const opts: ListOptions = {};
  if (q.labelSelector !== undefined) opts.labelSelector = q.labelSelector;
  if (q.fieldSelector !== undefined) opts.fieldSelector = q.fieldSelector;
  if (q.continue !== undefined) opts.continue = q.continue;
  if (q.resourceVersion !== undefined) opts.resourceVersion = q.resourceVersion;
  if (q.resourceVersionMatch !== undefined) opts.resourceVersionMatch = q.resourceVersionMatch;
  // A negative limit means no limit, as in Kubernetes.
  if (q.limit !== undefined && q.limit > 0) opts.limit = q.limit;
  return opts;
}

function isDryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.some((x) => x !== 'All')) throw errors.badRequest(`unsupported dryRun value: ${v.join(',')} (only All)`);
  return v.length > 0;
}

/**
 * dryRun, fieldManager and force of a write. A write without fieldManager is recorded under the
 * client's user agent (up to its first '/'), as Kubernetes does; an apply must name its manager.
 */
function writeOptions(req: IncomingMessage, q: URLSearchParams, kind: OptionsKind, apply = false): WriteOptions {
  const fieldManager = q.get('fieldManager') ?? '';
  const force = queryOptionalBool(q, 'force');
  validateWriteOptions(kind, { fieldManager, force }, apply);
  return { dryRun: isDryRun(q), force, fieldManager: fieldManager || managerFromUserAgent(req.headers['user-agent']) };
}

function listKind(r: ResourceType): string {
  return r.custom?.listKind ?? `${r.kind}List`;
}

/** The patch types a resource takes: custom resources have no strategic merge (no Go struct tags to merge by). */
function patchTypesOf(r: ResourceType): string[] {
  return Object.keys(PATCH_TYPES).filter((t) => !r.custom || PATCH_TYPES[t] !== 'strategic');
}

/** A custom object's body in protobuf: it has no protobuf form (415, as Kubernetes answers). */
function refuseProtobufBody(req: IncomingMessage, r: ResourceType): void {
  if (r.custom && bodyFormat(req) === 'protobuf') throw unsupportedMediaType(['application/json', 'application/yaml']);
}

export class ResourceHandler {
  constructor(
    private readonly registry: Registry,
    private readonly pods: PodProxy,
    private readonly serviceAccountKey: SigningKey,
  ) {}

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRequest,
    query: URLSearchParams,
    user?: UserInfo,
    admission: AdmissionFor = () => undefined,
  ): Promise<void> {
    const { resource: r, namespace: ns, name, subresource } = route;
    const method = req.method ?? 'GET';
    // The legacy /watch/ paths take only GET.
    if (route.watch && method !== 'GET') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const listQuery = method === 'GET' && !subresource && (!name || route.watch) ? parseListQuery(query, route.watch) : undefined;
    const neg = negotiate(req, query, listQuery?.watch === true, !r.custom);
    if (method === 'POST' || method === 'PUT') refuseProtobufBody(req, r);
    const send = (code: number, obj: unknown) => sendObject(res, neg.format, code, obj);
    if (subresource) return this.handleSubresource(req, res, route, query, method, neg, admission);
    if (!name) {
      switch (method) {
        case 'GET': {
          const opts = listQuery!;
          if (opts.watch) return serveWatch(this.registry, r, ns, req, res, opts, neg);
          return this.list(res, r, ns, opts, neg);
        }
        case 'POST': {
          const body = decodeObjectBody(req, await readBody(req), kindOf(r)) as KubeObject;
          if (r.kind === 'CertificateSigningRequest' && user) stampRequester(body, user);
          const created = await this.registry.createWhenAdmissible(r, ns, body, { ...writeOptions(req, query, 'CreateOptions'), admit: admission('create') });
          return send(201, created);
        }
        case 'DELETE': {
          const { opts } = await this.deleteOptions(req, query);
          const deleted = this.registry.deleteCollection(r, ns, { ...listOptions(parseListQuery(query)), ...opts });
          return send(200, {
            kind: listKind(r),
            apiVersion: apiVersionOf(r),
            metadata: { resourceVersion: String(this.registry.store.currentRevision) },
            items: deleted,
          });
        }
      }
      throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
    if (route.watch) {
      // The legacy /watch/ path to one object: a watch of its collection narrowed by name.
      const opts = listQuery!;
      opts.fieldSelector = [`metadata.name=${name}`, opts.fieldSelector].filter(Boolean).join(',');
      return serveWatch(this.registry, r, ns, req, res, opts, neg);
    }
    switch (method) {
      case 'GET': {
        const obj = this.registry.get(r, ns, name);
        if (neg.table) return send(200, toTable(r, [obj], { now: new Date(), includeObject: neg.includeObject }));
        return send(200, obj);
      }
      case 'PUT': {
        const body = decodeObjectBody(req, await readBody(req), kindOf(r)) as KubeObject;
        return send(200, this.registry.update(r, ns, name, body, { ...writeOptions(req, query, 'UpdateOptions'), admit: admission('update') }));
      }
      case 'PATCH':
        return this.patch(req, res, route, query, neg, admission);
      case 'DELETE': {
        const { opts, orphanDependents } = await this.deleteOptions(req, query);
        admission('delete')?.(this.registry.get(r, ns, name));
        const { obj, finished } = this.registry.delete(r, ns, name, opts);
        // Kubernetes answers 202 only to a deprecated orphanDependents=false whose object is not gone
        // yet (apiserver's handlers/delete.go); a pending graceful or finalized deletion is a 200.
        if (!finished || r.kind === 'Pod' || r.kind === 'Namespace') return send(!finished && orphanDependents === false ? 202 : 200, obj);
        return send(200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: obj.metadata.uid },
        });
      }
    }
    throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  /** PATCH of an object: a server-side apply answers 201 when it created the object. */
  private async patch(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRequest,
    query: URLSearchParams,
    neg: Negotiated,
    admission: AdmissionFor,
  ): Promise<void> {
    const { resource: r, namespace: ns, name } = route;
    const { type, patch } = await this.readPatch(req, r);
    const opts = { ...writeOptions(req, query, 'PatchOptions', type === 'apply'), admit: admission('patch') };
    if (type !== 'apply') return sendObject(res, neg.format, 200, this.registry.patch(r, ns, name!, type, patch, opts));
    const { obj, created } = await this.registry.apply(r, ns, name!, patch, opts);
    return sendObject(res, neg.format, created ? 201 : 200, obj);
  }

  private async readPatch(req: IncomingMessage, r: ResourceType): Promise<{ type: PatchType; patch: unknown }> {
    const accepted = patchTypesOf(r);
    const type = accepted.includes(mediaType(req)) ? PATCH_TYPES[mediaType(req)] : undefined;
    if (!type) throw unsupportedMediaType(accepted);
    return { type, patch: decodePatchBody(req, await readBody(req)) };
  }

  private async deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<{ opts: DeleteOptions; orphanDependents?: boolean }> {
    const raw = await readBody(req);
    const body = raw.length && raw.toString().trim() ? decodeObjectBody(req, raw, DELETE_OPTIONS) : {};
    const opts: DeleteOptions = {};
    const parsed = parseDeleteOptions(q, body);
    if (parsed.propagationPolicy) opts.propagationPolicy = parsed.propagationPolicy;
    if (parsed.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = parsed.gracePeriodSeconds;
    if (body.preconditions) opts.preconditions = body.preconditions;
    opts.dryRun = isDryRun(q) || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
    return { opts, orphanDependents: parsed.orphanDependents };
  }

  private list(res: ServerResponse, r: ResourceType, ns: string | undefined, q: ListQuery, neg: Negotiated): void | Promise<void> {
    const opts = listOptions(q);
    if (neg.format === 'json' && !neg.table && opts.limit === undefined) return this.streamList(res, r, ns, opts);
    const result = this.registry.list(r, ns, opts);
    const metadata: Record<string, unknown> = { resourceVersion: String(result.rev) };
    if (result.continueToken) metadata.continue = result.continueToken;
    if (result.remaining !== undefined) metadata.remainingItemCount = result.remaining;
    if (neg.table) {
      const objects = result.objects ?? result.rows.map((row) => JSON.parse(row.value) as KubeObject);
      const table = toTable(r, objects, { now: new Date(), includeObject: neg.includeObject });
      table.metadata = metadata;
      return sendObject(res, neg.format, 200, table);
    }
    if (neg.format !== 'json') {
      const items = result.objects ?? result.rows.map((row) => JSON.parse(row.value) as KubeObject);
      return sendObject(res, neg.format, 200, { kind: listKind(r), apiVersion: apiVersionOf(r), metadata, items });
    }
    // Stored JSON goes out as it is: no parse and re-serialise per item.
    const head = JSON.stringify({ kind: listKind(r), apiVersion: apiVersionOf(r), metadata });
    const body = `${head.slice(0, -1)},"items":[${result.rows.map((row) => row.value).join(',')}]}`;
    sendRaw(res, 200, 'application/json', body);
  }

  /**
   * A whole list in JSON, written a chunk at a time while the client keeps up. The current state
   * of a kind, unfiltered (what informers and most clients ask for), is read from a snapshot of
   * revisions a batch of values at a time; any other list is read at once and its rows let go as
   * they are written. Never the whole answer as one string beside the rows.
   */
  private async streamList(res: ServerResponse, r: ResourceType, ns: string | undefined, opts: ListOptions): Promise<void> {
    const whole = !opts.labelSelector && !opts.fieldSelector && !opts.continue && (!opts.resourceVersion || opts.resourceVersion === '0');
    let rev: number;
    let size: number;
    let read: (from: number, n: number) => string[];
    if (whole) ({ rev, size, read } = this.registry.snapshot(r, ns));
    else {
      const result = this.registry.list(r, ns, opts);
      rev = result.rev;
      size = result.rows.length;
      read = (from, n) => result.rows.slice(from, from + n).map((row) => row.value);
    }
    const head = JSON.stringify({ kind: listKind(r), apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(rev) } });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    let chunk = `${head.slice(0, -1)},"items":[`;
    try {
      for (let from = 0; from < size; from += STREAMED_BATCH) {
        chunk += (from ? ',' : '') + read(from, STREAMED_BATCH).join(',');
        if (chunk.length < STREAMED_CHUNK_CHARS) continue;
        const flowing = res.write(chunk);
        chunk = '';
        if (!flowing) await drained(res);
        if (res.destroyed) return;
      }
    } catch (err) {
      // The status line is sent: all that can be said now is that the answer is cut short.
      res.destroy(err as Error);
      return;
    }
    res.end(`${chunk}]}`);
  }

  private async handleSubresource(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRequest,
    query: URLSearchParams,
    method: string,
    neg: Negotiated,
    admission: AdmissionFor,
  ): Promise<void> {
    const { resource: r, namespace, name, subresource } = route;
    const send = (code: number, obj: unknown) => sendObject(res, neg.format, code, obj);
    if (!name || !subresource) throw errors.notFound(r.plural, r.group, `${name}/${subresource}`);
    const verbs = subresourceVerbs(r, subresource, name);
    if (r.kind === 'Pod' && subresource === 'log' && method === 'GET') return this.pods.logs(res, namespace!, name, query);
    // Exec, attach and port-forward arrive as WebSocket upgrades (server.ts); a plain request cannot carry them.
    if (r.kind === 'Pod' && (subresource === 'exec' || subresource === 'attach' || subresource === 'portforward')) throw errors.badRequest('Upgrade request required');
    const env = { registry: this.registry, serviceAccountKey: this.serviceAccountKey };
    const target = { r, namespace, name };
    if (method === 'GET' && verbs?.get) return send(200, verbs.get(env, target));
    if (method === 'PUT' && verbs?.update) {
      const body = decodeObjectBody(req, await readBody(req), verbs.bodyKind(r)) as KubeObject;
      return send(200, verbs.update(env, target, body, { ...writeOptions(req, query, 'UpdateOptions'), admit: admission('update', subresource) }));
    }
    if (method === 'PATCH' && verbs?.patch) {
      const { type, patch } = await this.readPatch(req, r);
      const { code, object } = await verbs.patch(env, target, type, patch, { ...writeOptions(req, query, 'PatchOptions', type === 'apply'), admit: admission('patch', subresource) });
      return send(code, object);
    }
    if (method === 'POST' && verbs?.create) {
      const body = decodeObjectBody(req, await readBody(req), verbs.bodyKind(r)) as KubeObject;
      const { code, object } = verbs.create(env, target, body, { dryRun: isDryRun(query), admit: admission('create', subresource) });
      return send(code, object);
    }
    throw methodNotAllowed(r, subresource);
  }
}

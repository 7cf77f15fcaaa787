// The HTTP front of the daemon: authentication, discovery, and dispatch to the resource handler.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { Registry } from '../registry/registry.js';
import { parseRoute } from './routes.js';
import { authenticateToken } from './authentication.js';
import { authorize, requestAttributes } from './authorization.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiV2Json, openApiV2Protobuf, versionInfo } from './discovery.js';
import { ResourceHandler } from './resource-handler.js';
import { sendError, sendJSON, sendRaw } from './respond.js';

export interface ApiServerOptions {
  registry: Registry;
  /** The token file's bearer tokens (superusers), with the identity each stands for. Bootstrap tokens are looked up in the registry. */
  tokens: () => Map<string, string>;
  log: (msg: string) => void;
  /** kubectl sends bearer tokens only over TLS, so the API is served over HTTPS. */
  tls: { cert: Buffer; key: Buffer };
}

const UNAUTHENTICATED_PATHS = new Set(['/healthz', '/readyz', '/livez']);

const SECRETS = findByKind('Secret')!;

export function createApiServer(opts: ApiServerOptions): https.Server {
  const resources = new ResourceHandler(opts.registry);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (UNAUTHENTICATED_PATHS.has(path)) return sendRaw(res, 200, 'text/plain', 'ok');
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    const user = authenticateToken(token, {
      staticTokens: opts.tokens(),
      getSecret: (namespace, name) => opts.registry.tryGet(SECRETS, namespace, name),
      now: new Date(),
    });
    if (!user) throw new ApiError('Unauthorized', 'Unauthorized');
    const r = parseRoute(path);
    authorize(user, requestAttributes(req.method ?? 'GET', path, r, url.searchParams));

    if (path === '/version') return sendJSON(res, 200, versionInfo());
    if (path === '/api') return sendJSON(res, 200, apiVersions(req.headers.host ?? ''));
    if (path === '/api/v1') return sendJSON(res, 200, apiResourceList('v1'));
    if (path === '/apis') return sendJSON(res, 200, apiGroupList());
    if (path === '/openapi/v2') {
      const accept = req.headers.accept ?? '';
      if (accept.includes('protobuf')) return sendRaw(res, 200, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', openApiV2Protobuf());
      return sendJSON(res, 200, openApiV2Json());
    }
    const apis = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (apis) {
      const doc = apis[2] ? apiResourceList(`${apis[1]}/${apis[2]}`) : apiGroup(apis[1]);
      if (doc) return sendJSON(res, 200, doc);
    }
    if (r.type === 'resource') return resources.handle(req, res, r, url.searchParams);
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  }

  const server = https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, (req, res) => {
    route(req, res).catch((err) => sendError(res, err, opts.log));
  });
  server.keepAliveTimeout = 65_000;
  // Watches stay open for as long as the client wants.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return server;
}

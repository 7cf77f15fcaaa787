// The HTTP front of the daemon: authentication, discovery, and dispatch to the resource handler.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '../../api/errors.js';
import { findByKind, storagePrefix } from '../../api/resources.js';
import type { Registry } from '../registry/registry.js';
import { parseRoute } from './routes.js';
import { ANONYMOUS, authenticateToken, certificateUser } from './authentication.js';
import { TokenCache } from './token-cache.js';
import type { UserInfo } from '../authorization/user.js';
import { requestAttributes } from '../authorization/attributes.js';
import type { RequestAuthorizer } from '../authorization/authorizer.js';
import { EscalationCheck } from '../authorization/escalation.js';
import { writeAdmission } from '../authorization/write-admission.js';
import { impersonatedUser } from './impersonation.js';
import { answerReview, reviewAttributes, reviewKind, reviewRoute } from './access-reviews.js';
import { CLUSTER_INFO_CONFIG_MAP, CLUSTER_INFO_NAMESPACE } from '../../api/cluster-info.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { isOpenApiPath, serveOpenApi } from './openapi.js';
import { ResourceHandler } from './resource-handler.js';
import { sendError, sendJSON, sendObject, sendRaw, toApiError } from './respond.js';
import { decodeObjectBody, readBody } from './body.js';
import { negotiate } from './negotiation.js';
import { PodProxy } from './pod-proxy.js';
import { METRICS_VERSION, metricsAttributes, parseMetricsRoute, type MetricsApi } from './metrics-api.js';
import { RequestMetrics, requestLabels } from './request-metrics.js';
import { metricsRegistry } from '../metrics/apiserver-metrics.js';
import { reviewToken, TOKEN_REVIEW_PATH, tokenReviewAttributes } from './token-review.js';
import { refuseUpgrade } from '../../api/remotecommand.js';
import type { SigningKey } from '../serviceaccount/signing-key.js';
import { API_AUDIENCES, type ObjectKind } from '../serviceaccount/claims.js';

export interface ApiServerOptions {
  registry: Registry;
  /** The token file's bearer tokens (superusers), with the identity each stands for. Bootstrap tokens are looked up in the registry. */
  tokens: () => Map<string, string>;
  log: (msg: string) => void;
  /**
   * kubectl sends bearer tokens only over TLS, so the API is served over HTTPS. Client
   * certificates signed by clientCA (the cluster CA) authenticate too.
   */
  tls: { cert: Buffer; key: Buffer; clientCA?: Buffer };
  /** The API server's own token for node agents' endpoints (logs, exec); made at start, never stored. */
  proxyToken: string;
  /** Signs service account tokens (serviceaccounts/token) and verifies them. */
  serviceAccountKey: SigningKey;
  /** Decides every request (Node, then RBAC), from caches the daemon's informers keep. */
  authorizer: RequestAuthorizer;
  /** metrics.k8s.io, from the metrics collector's figures. */
  metrics: MetricsApi;
}

const UNAUTHENTICATED_PATHS = new Set(['/healthz', '/readyz', '/livez']);
/** Prometheus' scrape path, a non-resource URL: RBAC's system:monitoring role grants `get` on it. */
const PROMETHEUS_PATH = '/metrics';

async function serveMetrics(res: ServerResponse): Promise<void> {
  sendRaw(res, 200, metricsRegistry.contentType, await metricsRegistry.metrics());
}

const SECRETS = findByKind('Secret')!;
// The one path anonymous requests may take (as Kubernetes' AuthenticationConfiguration allows
// with anonymous.conditions): a joining machine reads cluster-info before it has any credential.
const ANONYMOUS_PATHS = new Set([`/api/v1/namespaces/${CLUSTER_INFO_NAMESPACE}/configmaps/${CLUSTER_INFO_CONFIG_MAP}`]);

function requestPath(req: IncomingMessage): { url: URL; path: string } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return { url, path: url.pathname.replace(/\/+$/, '') || '/' };
}

/**
 * Holds back the answer to a request that may have written until what it wrote is on disk (see
 * SqliteStore.durable): a client is never told of a write that a power loss could undo.
 */
function answerWhenDurable(res: ServerResponse, durable: () => Promise<void>): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    durable().then(
      () => end(...args),
      () => res.destroy(new Error('the store could not sync the write to disk')),
    );
    return res;
  }) as ServerResponse['end'];
}

/**
 * The token cache, told of every change to the kinds that vouch for tokens (Secrets,
 * ServiceAccounts, Pods) straight from the store; undefined (no caching) should that feed end.
 */
function cachedTokens(registry: Registry): { current: () => TokenCache | undefined; close: () => void } {
  const cache = new TokenCache();
  let live = true;
  const subscriptions = ['Secret', 'ServiceAccount', 'Pod'].map((kind) =>
    registry.store.watch(storagePrefix(findByKind(kind)!), registry.store.currentRevision, (e) => cache.objectChanged(e.key), () => {
      live = false;
      cache.clear();
    }),
  );
  return { current: () => (live ? cache : undefined), close: () => subscriptions.forEach((s) => s.close()) };
}

export function createApiServer(opts: ApiServerOptions): https.Server {
  const pods = new PodProxy(opts.registry, opts.proxyToken, opts.log);
  const resources = new ResourceHandler(opts.registry, pods, opts.serviceAccountKey);
  const { authorizer } = opts;
  const escalation = new EscalationCheck(authorizer);
  const requestMetrics = new RequestMetrics();
  const serviceAccountTokens = {
    publicKey: opts.serviceAccountKey.publicKey,
    audiences: API_AUDIENCES,
    getObject: (kind: ObjectKind, namespace: string, name: string) => opts.registry.tryGet(findByKind(kind)!, namespace, name),
  };

  const tokenCache = cachedTokens(opts.registry);

  function authenticate(token: string): UserInfo | undefined {
    return authenticateToken(token, {
      staticTokens: opts.tokens(),
      getSecret: (namespace, name) => opts.registry.tryGet(SECRETS, namespace, name),
      proxyToken: opts.proxyToken,
      serviceAccountTokens,
      now: new Date(),
      cache: tokenCache.current(),
    });
  }

  /** The authenticated user, or the one it impersonates. */
  function requestUser(req: IncomingMessage, path: string): UserInfo {
    const user = authenticatedUser(req, path);
    return user === ANONYMOUS ? user : impersonatedUser(req.headers, user, authorizer);
  }

  /**
   * The user a connection's client certificate names; 'none' without one, undefined when it was
   * refused. Worked out once per connection (the certificate cannot change on it):
   * getPeerCertificate builds a new object at every call, a tenth of the daemon's time when 1,000
   * hollow nodes renew their Leases.
   */
  const certificateUsers = new WeakMap<TLSSocket, { user?: UserInfo } | 'none'>();
  function connectionCertificate(socket: TLSSocket): { user?: UserInfo } | 'none' {
    let known = certificateUsers.get(socket);
    if (known === undefined) {
      const peer = opts.tls.clientCA ? socket.getPeerCertificate?.() : undefined;
      // A certificate the CA did not sign (or that expired) is refused, never ignored.
      known = peer && Object.keys(peer).length > 0 ? { user: socket.authorized ? certificateUser(peer) : undefined } : 'none';
      certificateUsers.set(socket, known);
    }
    return known;
  }

  function authenticatedUser(req: IncomingMessage, path: string): UserInfo {
    const certificate = connectionCertificate(req.socket as TLSSocket);
    if (certificate !== 'none') {
      if (!certificate.user) throw new ApiError('Unauthorized', 'Unauthorized');
      return certificate.user;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth && ANONYMOUS_PATHS.has(path) && (req.method === 'GET' || req.method === 'HEAD')) return ANONYMOUS;
    const user = authenticate(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '');
    if (!user) throw new ApiError('Unauthorized', 'Unauthorized');
    return user;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { url, path } = requestPath(req);
    if (UNAUTHENTICATED_PATHS.has(path)) return sendRaw(res, 200, 'text/plain', 'ok');
    const user = requestUser(req, path);
    if (path === TOKEN_REVIEW_PATH) {
      authorizer.check(user, tokenReviewAttributes(req.method ?? 'GET'));
      if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
      const review = decodeObjectBody(req, await readBody(req), { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview' });
      return sendObject(res, negotiate(req, url.searchParams).format, 201, reviewToken(review, authenticate));
    }
    const review = reviewRoute(path);
    if (review) {
      authorizer.check(user, reviewAttributes(req.method ?? 'GET', review));
      if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
      const body = decodeObjectBody(req, await readBody(req), reviewKind(review));
      return sendObject(res, negotiate(req, url.searchParams).format, 201, answerReview(review, body, user, authorizer));
    }
    const metrics = parseMetricsRoute(path);
    if (metrics) {
      const attributes = metricsAttributes(req.method ?? 'GET', metrics, url.searchParams);
      requestMetrics.label(req, requestLabels(req, url.searchParams, attributes, METRICS_VERSION));
      authorizer.check(user, attributes);
      return opts.metrics.handle(req, res, metrics, url.searchParams);
    }
    const r = parseRoute(path);
    const attributes = requestAttributes(req.method ?? 'GET', path, r, url.searchParams);
    requestMetrics.label(req, requestLabels(req, url.searchParams, attributes, r.type === 'resource' ? r.resource.version : ''));
    authorizer.check(user, attributes);
    if (path === PROMETHEUS_PATH) return serveMetrics(res);

    if (path === '/version') return sendJSON(res, 200, versionInfo());
    if (path === '/api') return sendJSON(res, 200, apiVersions(req.headers.host ?? ''));
    if (path === '/api/v1') return sendJSON(res, 200, apiResourceList('v1'));
    if (path === '/apis') return sendJSON(res, 200, apiGroupList());
    if (isOpenApiPath(path)) return serveOpenApi(req, res, path, url.searchParams);
    const apis = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (apis) {
      const doc = apis[2] ? apiResourceList(`${apis[1]}/${apis[2]}`) : apiGroup(apis[1]);
      if (doc) return sendJSON(res, 200, doc);
    }
    if (r.type === 'resource') {
      // A custom kind may reuse a built-in kind's name; its writes are never a Role's or a Pod's.
      const kind = r.resource.custom ? `${r.resource.kind}.${r.resource.group}` : r.resource.kind;
      return resources.handle(req, res, r, url.searchParams, user, (verb, subresource) => writeAdmission(user, escalation, kind, verb, subresource));
    }
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  }

  // Only pods/exec, pods/attach and pods/portforward upgrade: their WebSocket is handed to the pod's node agent.
  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { url, path } = requestPath(req);
    const user = requestUser(req, path);
    const r = parseRoute(path);
    authorizer.check(user, requestAttributes(req.method ?? 'GET', path, r, url.searchParams));
    if (r.type !== 'resource' || r.resource.kind !== 'Pod' || (r.subresource !== 'exec' && r.subresource !== 'attach' && r.subresource !== 'portforward') || !r.name) {
      throw new ApiError('BadRequest', `${path} cannot be upgraded (only pods/exec, pods/attach and pods/portforward can)`);
    }
    await pods.upgrade(r.subresource, req, socket, head, r.namespace!, r.name, url.searchParams);
  }

  // Asked for, not required: kubectl and service accounts come with tokens.
  const clientAuth = opts.tls.clientCA ? { requestCert: true, rejectUnauthorized: false, ca: opts.tls.clientCA } : {};
  const server = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, ...clientAuth }, (req, res) => {
    requestMetrics.observe(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') answerWhenDurable(res, () => opts.registry.store.durable());
    route(req, res).catch((err) => sendError(req, res, err, opts.log));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head).catch((err) => refuseUpgrade(socket, toApiError(err, opts.log)));
  });
  server.on('close', tokenCache.close);
  server.keepAliveTimeout = 65_000;
  // Watches stay open for as long as the client wants.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return server;
}

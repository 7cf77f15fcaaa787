// The agent's own HTTP endpoint, the kubelet's port: container logs, exec, port-forward and the
// resource metrics for the API server to proxy to or read; only the API server may use those: every
// request carries a bearer token that a TokenReview must find to be the API server's proxy
// identity. /metrics is for Prometheus: any token RBAC lets `get` that path (a SubjectAccessReview).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import { API_SERVER_PROXY_USER, refuseUpgrade } from '../../api/remotecommand.js';
import type { DockerClient } from '../docker/docker-client.js';
import type { HttpClient } from '../../api/http-client.js';
import { TokenReviewer, type ReviewedUser } from './token-reviewer.js';
import { AccessReviewer } from './access-reviewer.js';
import { kubeletMetricsText } from '../stats/kubelet-metrics.js';
import { serveContainerLogs } from './container-logs.js';
import { ExecServer } from './container-exec.js';
import { PortForwardServer } from './pod-port-forward.js';
import type { ContainerRef, NodeScope } from './pod-containers.js';
import { RESOURCE_METRICS_PATH } from '../../api/metrics/resource-metrics.js';
import type { StatsSource } from '../stats/container-stats.js';
import { resourceMetricsText } from '../stats/resource-metrics-text.js';

export interface AgentServerOptions extends NodeScope {
  client: HttpClient;
  docker: DockerClient;
  address: string;
  /** 0: any free port. */
  port: number;
  /** The node's and its containers' usage, for /metrics/resource. */
  stats: StatsSource;
  log: (msg: string) => void;
}

// The kubelet's paths: /containerLogs, /exec and /attach name a container, /portForward only the pod.
const ROUTE = /^\/(?:(containerLogs|exec|attach)\/([^/]+)\/([^/]+)\/([^/]+)|(portForward)\/([^/]+)\/([^/]+))$/;

type Route = { kind: 'containerLogs' | 'exec' | 'attach'; ref: ContainerRef } | { kind: 'portForward'; namespace: string; pod: string };

function parseRoute(pathname: string): Route {
  const m = ROUTE.exec(pathname);
  if (!m) throw new ApiError('NotFound', 'the server could not find the requested resource');
  try {
    if (m[5]) return { kind: 'portForward', namespace: decodeURIComponent(m[6]), pod: decodeURIComponent(m[7]) };
    const [namespace, pod, container] = [m[2], m[3], m[4]].map(decodeURIComponent);
    return { kind: m[1] as 'containerLogs' | 'exec' | 'attach', ref: { namespace, pod, container } };
  } catch {
    throw new ApiError('BadRequest', `malformed escape in the path ${pathname}`);
  }
}

export class AgentServer {
  private readonly server: http.Server;
  private readonly reviewer: TokenReviewer;
  private readonly access: AccessReviewer;
  private readonly exec: ExecServer;
  private readonly portForward: PortForwardServer;

  constructor(private readonly opts: AgentServerOptions) {
    this.reviewer = new TokenReviewer(opts.client);
    this.access = new AccessReviewer(opts.client);
    this.exec = new ExecServer(opts.docker, opts, opts.log);
    this.portForward = new PortForwardServer(opts.docker, opts, opts.log);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => this.fail(res, err));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch((err) => refuseUpgrade(socket, toApiError(err, opts.log)));
    });
    // Followed logs, exec sessions and forwarded connections last as long as the user wants.
    this.server.requestTimeout = 0;
    // Longer than the API server's metrics collector keeps an idle connection (60 s), so a reused one is never closed under it.
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens; answers the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.address, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  close(): Promise<void> {
    this.exec.close();
    this.portForward.close();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The request's user; 401 when its token is missing or not one the API server vouches for. */
  private async authenticate(req: IncomingMessage): Promise<ReviewedUser> {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    const user = token ? await this.reviewer.review(token) : undefined;
    if (!user) throw new ApiError('Unauthorized', 'Unauthorized');
    return user;
  }

  /** Throws 401/403 unless the request comes from the API server. */
  private async authorize(req: IncomingMessage): Promise<void> {
    const user = await this.authenticate(req);
    if (user.username !== API_SERVER_PROXY_USER) {
      const verb = req.method === 'GET' || req.method === 'HEAD' ? 'get' : 'create';
      throw new ApiError('Forbidden', `Forbidden (user=${user.username}, verb=${verb}, resource=nodes, subresource=proxy)`);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    // Prometheus scrapers: whoever RBAC lets `get` the /metrics non-resource URL (system:monitoring).
    if (url.pathname === PROMETHEUS_PATH) {
      const user = await this.authenticate(req);
      if (!(await this.access.allowed(user, 'get', PROMETHEUS_PATH))) {
        throw new ApiError('Forbidden', `Forbidden (user=${user.username}, verb=get, path=${PROMETHEUS_PATH})`);
      }
      if (req.method !== 'GET') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return send(res, await kubeletMetricsText(this.opts.stats));
    }
    await this.authorize(req);
    if (url.pathname === RESOURCE_METRICS_PATH) {
      if (req.method !== 'GET') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return send(res, await resourceMetricsText(this.opts.stats));
    }
    const route = parseRoute(url.pathname);
    if (route.kind !== 'containerLogs') throw new ApiError('BadRequest', `${route.kind} needs a WebSocket upgrade`);
    if (req.method !== 'GET') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    await serveContainerLogs({ docker: this.opts.docker, client: this.opts.client, scope: this.opts }, route.ref, url.searchParams, res);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    await this.authorize(req);
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = parseRoute(url.pathname);
    if (route.kind === 'portForward') return this.portForward.serve(req, socket, head, route.namespace, route.pod, url.searchParams);
    if (route.kind === 'containerLogs') throw new ApiError('BadRequest', `${route.kind} does not upgrade connections`);
    await this.exec.serve(req, socket, head, route.ref, url.searchParams, route.kind === 'attach');
  }

  private fail(res: ServerResponse, err: unknown): void {
    const apiErr = toApiError(err, this.opts.log);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify(apiErr.toStatus());
    res.writeHead(apiErr.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

}

const PROMETHEUS_PATH = '/metrics';

function send(res: ServerResponse, { contentType, body }: { contentType: string; body: string }): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function toApiError(err: unknown, log: (msg: string) => void): ApiError {
  if (err instanceof ApiError) return err;
  log(`agent endpoint: ${(err as Error)?.stack ?? String(err)}`);
  return new ApiError('InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
}

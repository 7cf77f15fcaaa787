// The ingress proxy of this machine: an HTTP server on the host routing by the Ingresses of its
// class to the ready endpoints of their Services. Ingresses, Services and Endpoints are watched;
// any change rebuilds the route table once (coalesced per turn of the event loop), so a request
// only looks its route up. Upstream connections are kept alive and reused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import type { ApiClient } from '../../api/client.js';
import type { Informer } from '../../api/informer.js';
import type { SharedInformers } from '../../api/shared-informers.js';
import { findByKind } from '../../api/resources.js';
import { DEFAULT_INGRESS_CLASS } from './ingress-class.js';
import { IngressStatusPublisher } from './ingress-status.js';
import { forward, sendError } from './forward.js';
import { buildRouteTable, requestHost, type RouteTable } from './route-table.js';

export interface IngressProxyOptions {
  client: ApiClient;
  informers: SharedInformers;
  /** Where the proxy listens; default 127.0.0.1. */
  address?: string;
  /** Default 80; 0 picks a free port. */
  port?: number;
  /** The ingress class served; Ingresses naming no class are served too. Default `kctl`. */
  className?: string;
  log?: (msg: string) => void;
}

export class IngressProxy {
  private readonly ingresses: Informer;
  private readonly services: Informer;
  private readonly endpoints: Informer;
  private readonly server: http.Server;
  private readonly agent = new Agent();
  private readonly className: string;
  private readonly log: (msg: string) => void;
  private routes: RouteTable | undefined;
  private rebuildScheduled = false;
  private status: IngressStatusPublisher | undefined;
  private listenPort = '';

  constructor(private readonly opts: IngressProxyOptions) {
    this.className = opts.className ?? DEFAULT_INGRESS_CLASS;
    this.log = opts.log ?? (() => {});
    this.ingresses = opts.informers.informer(findByKind('Ingress')!);
    this.services = opts.informers.informer(findByKind('Service')!);
    this.endpoints = opts.informers.informer(findByKind('Endpoints')!);
    const changed = { add: () => this.scheduleRebuild(), update: () => this.scheduleRebuild(), delete: () => this.scheduleRebuild() };
    for (const inf of [this.ingresses, this.services, this.endpoints]) inf.addHandlers(changed);
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Resolves once the caches are filled and the server listens; the port is the one bound. */
  async start(): Promise<{ address: string; port: number }> {
    await Promise.all([this.ingresses.hasSynced(), this.services.hasSynced(), this.endpoints.hasSynced()]);
    this.rebuild();
    const host = this.opts.address ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 80, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const port = (this.server.address() as AddressInfo).port;
    this.listenPort = String(port);
    this.status = new IngressStatusPublisher(this.opts.client, this.ingresses, this.className, publishedAddress(host), this.log);
    this.log(`ingress proxy: class ${this.className}, listening on ${host}:${port}`);
    return { address: host, port };
  }

  async stop(): Promise<void> {
    this.status?.stop();
    if (this.server.listening) {
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    }
    await this.agent.destroy();
  }

  private scheduleRebuild(): void {
    if (this.rebuildScheduled || !this.routes) return;
    this.rebuildScheduled = true;
    setImmediate(() => {
      this.rebuildScheduled = false;
      this.rebuild();
    });
  }

  private rebuild(): void {
    const lookup = {
      service: (ns: string, name: string) => this.services.get(`${ns}/${name}`),
      endpoints: (ns: string, name: string) => this.endpoints.get(`${ns}/${name}`),
    };
    this.routes = buildRouteTable(this.ingresses.list(), this.className, lookup);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const backend = this.routes!.lookup(requestHost(req.headers.host), path);
    if (!backend) return sendError(res, 404, 'Not Found');
    const upstream = backend.pick();
    if (!upstream) return sendError(res, 503, 'Service Unavailable');
    forward(req, res, upstream, this.agent, this.listenPort, (err) =>
      this.log(`ingress proxy: ${req.method} ${req.headers.host ?? ''}${url} to ${backend.name} at ${upstream.host}:${upstream.port}: ${err.message}`),
    );
  }
}

/** An Ingress's address is where clients reach it: a wildcard listen address is reached on loopback. */
function publishedAddress(listenAddress: string): string {
  if (listenAddress === '0.0.0.0') return '127.0.0.1';
  if (listenAddress === '::') return '::1';
  return listenAddress;
}

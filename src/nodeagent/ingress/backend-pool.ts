// An Ingress backend resolved to where its traffic goes: the ready addresses of the Service's
// Endpoints on the target port behind the Service port the Ingress names. Resolved when the route
// table is built, so a request only picks the next address.
import type { KubeObject } from '../../api/types.js';
import { endpointsForPort } from '../proxy/service-rules.js';

export interface Upstream {
  host: string;
  port: number;
  /** `http://host:port`, made once here rather than per request. */
  origin: string;
}

/** Round-robin over a backend's ready endpoints; none means the backend is unavailable (503). */
export class BackendPool {
  private next = 0;

  constructor(
    /** `namespace/service:port`, for logs and tests. */
    readonly name: string,
    readonly upstreams: readonly Upstream[],
  ) {}

  pick(): Upstream | undefined {
    const n = this.upstreams.length;
    if (n === 0) return undefined;
    const u = this.upstreams[this.next];
    this.next = (this.next + 1) % n;
    return u;
  }
}

export interface ServiceLookup {
  service(namespace: string, name: string): KubeObject | undefined;
  endpoints(namespace: string, name: string): KubeObject | undefined;
}

/**
 * `backend` is an IngressBackend: `service.port.number` is the Service's port, `service.port.name`
 * the name of one of its ports; the Endpoints carry that Service port's name, as the endpoints
 * controller writes them. A missing Service or port, an ExternalName Service or a `resource`
 * backend give an empty pool.
 */
export function resolveBackend(namespace: string, backend: any, lookup: ServiceLookup): BackendPool {
  const ref = backend?.service;
  const portRef = ref?.port ?? {};
  const name = `${namespace}/${ref?.name ?? backend?.resource?.name ?? '?'}:${portRef.number ?? portRef.name ?? '?'}`;
  if (!ref?.name) return new BackendPool(name, []);
  const service = lookup.service(namespace, ref.name);
  if (!service || service.spec?.type === 'ExternalName') return new BackendPool(name, []);
  const servicePort = (service.spec?.ports ?? []).find((p: any) =>
    portRef.number !== undefined ? p.port === portRef.number : portRef.name !== undefined && p.name === portRef.name,
  );
  if (!servicePort) return new BackendPool(name, []);
  const endpoints = endpointsForPort(lookup.endpoints(namespace, ref.name), servicePort.name, 'TCP');
  return new BackendPool(
    name,
    endpoints.map((e) => ({ host: e.ip, port: e.port, origin: `http://${e.ip.includes(':') ? `[${e.ip}]` : e.ip}:${e.port}` })),
  );
}

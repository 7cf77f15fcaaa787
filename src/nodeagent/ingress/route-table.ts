// The routes of every Ingress this proxy serves, computed once per change of Ingresses, Services
// or Endpoints, so a request costs a map lookup and a short scan. Hosts as the Ingress spec
// defines them: a precise host matches the Host header exactly, a wildcard `*.example.com` matches
// exactly one more label (`a.example.com`, not `example.com` nor `a.b.example.com`), a rule with
// no host matches any. A request tries the precise host's paths, then the wildcard's, then the
// host-less rules', then the default backend; nothing left is a 404.
import type { KubeObject } from '../../api/types.js';
import { BackendPool, resolveBackend, type ServiceLookup } from './backend-pool.js';
import { servedByClass } from './ingress-class.js';
import { comparePrecedence, pathMatcher, pathMatches, type PathMatcher } from './path-match.js';

export interface Route {
  match: PathMatcher;
  backend: BackendPool;
}

export class RouteTable {
  constructor(
    private readonly preciseHosts: ReadonlyMap<string, readonly Route[]>,
    /** Keyed by the wildcard's suffix: `*.example.com` under `example.com`. */
    private readonly wildcardHosts: ReadonlyMap<string, readonly Route[]>,
    private readonly anyHost: readonly Route[],
    private readonly defaultBackend: BackendPool | undefined,
  ) {}

  /** `host` is lowercase without its port; undefined is a 404. */
  lookup(host: string, path: string): BackendPool | undefined {
    const precise = this.preciseHosts.get(host);
    if (precise) {
      const r = firstMatch(precise, path);
      if (r) return r;
    }
    const dot = host.indexOf('.');
    if (dot > 0) {
      const wildcard = this.wildcardHosts.get(host.slice(dot + 1));
      if (wildcard) {
        const r = firstMatch(wildcard, path);
        if (r) return r;
      }
    }
    return firstMatch(this.anyHost, path) ?? this.defaultBackend;
  }
}

function firstMatch(routes: readonly Route[], path: string): BackendPool | undefined {
  for (let i = 0; i < routes.length; i++) if (pathMatches(routes[i].match, path)) return routes[i].backend;
  return undefined;
}

/** The Ingresses this proxy serves, oldest first: on a conflict the oldest Ingress wins, as ingress-nginx decides. */
export function servedIngresses(ingresses: Iterable<KubeObject>, className: string): KubeObject[] {
  const served = [...ingresses].filter((ing) => !ing.metadata.deletionTimestamp && servedByClass(ing, className));
  return served.sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
  );
}

export function buildRouteTable(ingresses: Iterable<KubeObject>, className: string, lookup: ServiceLookup): RouteTable {
  const precise = new Map<string, Route[]>();
  const wildcard = new Map<string, Route[]>();
  const anyHost: Route[] = [];
  const pools = new Map<string, BackendPool>();
  // Routes naming the same backend share its pool, so round-robin spans all of them.
  const pool = (namespace: string, backend: any): BackendPool => {
    const key = `${namespace}/${JSON.stringify(backend)}`;
    let p = pools.get(key);
    if (!p) pools.set(key, (p = resolveBackend(namespace, backend, lookup)));
    return p;
  };
  let defaultBackend: BackendPool | undefined;

  for (const ing of servedIngresses(ingresses, className)) {
    const namespace = ing.metadata.namespace ?? 'default';
    if (!defaultBackend && ing.spec?.defaultBackend) defaultBackend = pool(namespace, ing.spec.defaultBackend);
    for (const rule of ing.spec?.rules ?? []) {
      const host = typeof rule.host === 'string' ? rule.host.toLowerCase() : '';
      let routes: Route[];
      if (!host) routes = anyHost;
      else {
        const [map, key] = host.startsWith('*.') ? [wildcard, host.slice(2)] : [precise, host];
        routes = map.get(key) ?? [];
        map.set(key, routes);
      }
      for (const p of rule.http?.paths ?? []) {
        const match = pathMatcher(p.path, p.pathType);
        // The same path twice: the older Ingress (or the earlier rule) keeps it.
        if (routes.some((r) => r.match.exact === match.exact && r.match.path === match.path)) continue;
        routes.push({ match, backend: pool(namespace, p.backend) });
      }
    }
  }
  // Stable sort: among equals the older Ingress stays first.
  for (const routes of [...precise.values(), ...wildcard.values(), anyHost]) routes.sort((a, b) => comparePrecedence(a.match, b.match));
  return new RouteTable(precise, wildcard, anyHost, defaultBackend);
}

/** The Host header as routes are keyed: lowercase, without port or trailing dot. */
export function requestHost(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  let host = hostHeader;
  if (host.charCodeAt(0) === 91 /* '[' */) {
    const end = host.indexOf(']');
    host = end > 0 ? host.slice(1, end) : host;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host.toLowerCase();
}

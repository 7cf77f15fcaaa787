// Which requests `kubectl proxy` lets through: the Host must match --accept-hosts, the path
// --accept-paths and not --reject-paths, the method not --reject-methods (each a comma-separated
// list of regular expressions), so a web page cannot drive the cluster through the proxy.

export const DEFAULT_ACCEPT_HOSTS = '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$';
export const DEFAULT_ACCEPT_PATHS = '^.*';
export const DEFAULT_REJECT_PATHS = '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach';
export const DEFAULT_REJECT_METHODS = '^$';

export interface ProxyFilter {
  acceptHosts: RegExp[];
  acceptPaths: RegExp[];
  rejectPaths: RegExp[];
  rejectMethods: RegExp[];
}

export function parseRegexps(list: string): RegExp[] {
  return list
    .split(',')
    .filter((s) => s !== '')
    .map((s) => new RegExp(s));
}

export function makeFilter(o: { acceptHosts: string; acceptPaths: string; rejectPaths: string; rejectMethods: string }): ProxyFilter {
  return { acceptHosts: parseRegexps(o.acceptHosts), acceptPaths: parseRegexps(o.acceptPaths), rejectPaths: parseRegexps(o.rejectPaths), rejectMethods: parseRegexps(o.rejectMethods) };
}

/** The host of a Host header without its port (Go's SplitHostPort; empty when there is no port). */
export function hostOf(hostHeader: string | undefined): string {
  const h = hostHeader ?? '';
  const m = /^\[([^\]]*)\]:\d*$/.exec(h) ?? /^([^:]*):\d*$/.exec(h);
  return m ? (h.startsWith('[') ? `[${m[1]}]` : m[1]) : '';
}

export function accepts(f: ProxyFilter, method: string, path: string, host: string): boolean {
  const any = (res: RegExp[], s: string) => res.some((re) => re.test(s));
  return any(f.acceptPaths, path) && !any(f.rejectPaths, path) && any(f.acceptHosts, host) && !any(f.rejectMethods, method);
}

/** The API path for a request under --api-prefix (`/k8s/api/v1` with prefix `/k8s/` is `/api/v1`); undefined outside it. */
export function stripPrefix(path: string, prefix: string): string | undefined {
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (p === '/') return path;
  if (path === p.slice(0, -1)) return '/';
  return path.startsWith(p) ? path.slice(p.length - 1) : undefined;
}

// Ingress path matching as networking.k8s.io/v1 defines it: Exact compares the whole path, Prefix
// compares element by element (split on '/', a trailing '/' on either side ignored), and
// ImplementationSpecific is left to the implementation: here it is Prefix, as most controllers do.

export interface PathMatcher {
  exact: boolean;
  /** The rule's path as compared: for Prefix without its trailing '/', so `/` is the empty string. */
  path: string;
}

export function pathMatcher(path: string | undefined, pathType: string | undefined): PathMatcher {
  const p = path || '/';
  if (pathType === 'Exact') return { exact: true, path: p };
  return { exact: false, path: p.endsWith('/') ? p.replace(/\/+$/, '') : p };
}

/** `requestPath` is the request's path without its query string. */
export function pathMatches(m: PathMatcher, requestPath: string): boolean {
  if (m.exact) return requestPath === m.path;
  if (m.path === '') return true;
  if (!requestPath.startsWith(m.path)) return false;
  // `/foo` matches `/foo`, `/foo/` and `/foo/bar`, never `/foobar`.
  return requestPath.length === m.path.length || requestPath.charCodeAt(m.path.length) === 47 /* '/' */;
}

/**
 * Of several matching paths the longest wins; at equal length Exact wins over Prefix. Sorting the
 * rules this way once lets a request take the first rule that matches.
 */
export function comparePrecedence(a: PathMatcher, b: PathMatcher): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  return Number(b.exact) - Number(a.exact);
}

// Maps a Kubernetes REST path onto a resource request, the way the API server's RequestInfo does:
//   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
//   /apis/{group}/{version}/{resource}/{name}          (cluster-scoped, or all namespaces when listing)
//   /api/v1/namespaces/{name}[/status|/finalize]       (the namespace object itself)
//   /api/v1/watch/...  and  /apis/{group}/{version}/watch/...  (the older spelling of ?watch=true,
//                                                       still served: Ruby's kubeclient uses it)
import { findServed, type ResourceType } from '../../api/resources.js';
import { errors } from '../../api/errors.js';

export interface ResourceRequest {
  type: 'resource';
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Asked for through a legacy `/watch/` path. */
  watch?: boolean;
}

export interface DiscoveryRequest {
  type: 'discovery';
  path: string;
}

export interface UnknownRequest {
  type: 'unknown';
}

export type Route = ResourceRequest | DiscoveryRequest | UnknownRequest;

export function parseRoute(pathname: string): Route {
  let parts: string[];
  try {
    parts = pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  } catch {
    throw errors.badRequest(`malformed escape in the path ${pathname}`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  let watch = false;
  const afterVersion = (i: number) => {
    watch = parts[i] === 'watch';
    return parts.slice(watch ? i + 1 : i);
  };
  if (parts[0] === 'api') {
    if (parts.length <= 2) return { type: 'discovery', path: pathname };
    if (parts[1] !== 'v1') return { type: 'unknown' };
    group = '';
    version = 'v1';
    rest = afterVersion(2);
  } else if (parts[0] === 'apis') {
    if (parts.length <= 3) return { type: 'discovery', path: pathname };
    group = parts[1];
    version = parts[2];
    rest = afterVersion(3);
    const r = findServed(group, version, rest[0] === 'namespaces' && rest.length >= 3 ? rest[2] : rest[0]);
    if (!r) return { type: 'unknown' };
  } else {
    return { type: 'discovery', path: pathname };
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const r = findServed(group, version, rest[2]);
    if (r && r.namespaced) {
      if (rest.length > (watch ? 4 : 5)) return { type: 'unknown' };
      return { type: 'resource', resource: r, namespace: rest[1], name: rest[3], subresource: rest[4], ...(watch ? { watch } : {}) };
    }
    if (!watch && group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
      return { type: 'resource', resource: findServed('', 'v1', 'namespaces')!, name: rest[1], subresource: rest[2] };
    }
    return { type: 'unknown' };
  }
  const r = findServed(group, version, rest[0]);
  if (!r || rest.length > (watch ? 2 : 3)) return { type: 'unknown' };
  return { type: 'resource', resource: r, name: rest[1], subresource: rest[2], ...(watch ? { watch } : {}) };
}

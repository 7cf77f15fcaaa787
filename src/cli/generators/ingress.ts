// The Ingress `kubectl create ingress` builds from `--rule=host/path=svc:port[,tls[=secret]]`:
// rules grouped by host, pathType Exact unless the path ends in `*` (then Prefix, without the `*`),
// one TLS entry per secret listing its hosts, an optional class, default backend and annotations.
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { intOrString } from './go-strconv.js';

export interface IngressFlags {
  name: string;
  rules: string[];
  className?: string;
  defaultBackend?: string;
  annotations: string[];
  /** Set only when -n was given, as kubectl does. */
  namespace?: string;
}

// A prefix match, as kubectl's (unanchored at the end) validation regex.
const RULE = /^[\w*\-.]*\/.*=[\w-]+:[\w-]+(,tls=?([\w-]+)?)?/;

export function validateIngressFlags(f: IngressFlags): void {
  if (!f.defaultBackend && f.rules.length === 0) {
    throw new CliError(
      'not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)',
    );
  }
  for (const rule of f.rules) {
    if (!RULE.test(rule)) throw new CliError(`rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  }
  for (const a of f.annotations) {
    if (!a.includes('=')) throw new CliError(`annotation ${a} is invalid and should be in format key=[value]`);
  }
  if (f.defaultBackend && f.defaultBackend.split(':').length !== 2) throw new CliError('default-backend should be in format servicename:serviceport');
}

function backend(service: string): object {
  const [name, port] = service.split(':');
  const p = intOrString(port);
  return { service: { name, port: typeof p === 'number' ? { number: p } : { name: p } } };
}

function httpPath(pathAndService: string): object {
  const [pathPart, service] = pathAndService.split('=');
  let path = `/${pathPart}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backend(service) };
}

function hostOf(rule: string): string {
  return rule.split('/')[0];
}

function ingressRules(rules: string[]): object[] {
  const out: { host?: string; http: { paths: object[] } }[] = [];
  for (const rule of rules) {
    const withoutTls = rule.split(',')[0];
    const slash = withoutTls.indexOf('/');
    const host = withoutTls.slice(0, slash);
    const path = httpPath(withoutTls.slice(slash + 1));
    const existing = out.find((r) => (r.host ?? '') === host);
    if (existing) existing.http.paths.push(path);
    else out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

/** One entry per secret; a host is listed once, under the first secret it was given with. */
function tlsEntries(rules: string[]): object[] {
  const out: { hosts?: string[]; secretName?: string }[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const parts = rule.split(',');
    if (parts.length !== 2) continue;
    const host = hostOf(rule);
    const secret = parts[1].split('=')[1] ?? '';
    if (seen.has(host)) continue;
    seen.add(host);
    const same = out.find((t) => (t.secretName ?? '') === secret);
    if (same) {
      (same.hosts ??= []).push(host);
      continue;
    }
    const entry = { ...(host ? { hosts: [host] } : {}), ...(secret ? { secretName: secret } : {}) };
    if (entry.hosts || entry.secretName) out.push(entry);
  }
  return out;
}

export function ingressFor(f: IngressFlags): KubeObject {
  const annotations = Object.fromEntries(f.annotations.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const tls = tlsEntries(f.rules);
  const rules = ingressRules(f.rules);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: f.name,
      ...(f.namespace ? { namespace: f.namespace } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      ...(f.className ? { ingressClassName: f.className } : {}),
      ...(f.defaultBackend ? { defaultBackend: backend(f.defaultBackend) } : {}),
      ...(tls.length ? { tls } : {}),
      ...(rules.length ? { rules } : {}),
    },
  };
}

// What `kubectl config view` prints: the merged configuration in clientcmd's field order, with
// certificate and key data shown as DATA+OMITTED and tokens and passwords as REDACTED unless
// --raw; --minify keeps the current context and what it names; --flatten embeds referenced files.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError } from '../errors.js';
import type { NamedEntry } from './config-files.js';

const CLUSTER_FIELDS = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'];
const USER_FIELDS = [
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'as',
  'as-uid',
  'as-groups',
  'as-user-extra',
  'username',
  'password',
  'auth-provider',
  'exec',
  'extensions',
];
const CONTEXT_FIELDS = ['cluster', 'user', 'namespace', 'extensions'];

const OMITTED = 'DATA+OMITTED';
const REDACTED = 'REDACTED';

export interface MergedConfig {
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  currentContext: string;
  /** The file each entry came from, for --flatten's relative paths. */
  sourceOf?: (entry: NamedEntry) => string | undefined;
}

export interface ViewOptions {
  minify: boolean;
  raw: boolean;
  flatten: boolean;
  /** --context: the context --minify keeps instead of the current one. */
  context?: string;
}

/** Known fields in the struct's order, then any others; empty optional fields left out. */
function ordered(body: Record<string, any> | undefined, fields: string[], required: string[]): Record<string, any> {
  const out: Record<string, any> = {};
  const src = body ?? {};
  for (const k of fields) {
    if (required.includes(k)) out[k] = src[k] ?? '';
    else if (src[k] !== undefined && src[k] !== '' && src[k] !== false && src[k] !== null) out[k] = src[k];
  }
  for (const k of Object.keys(src).sort()) if (!(k in out) && !fields.includes(k)) out[k] = src[k];
  return out;
}

function flattened(body: Record<string, any>, pathField: string, dataField: string, base: string | undefined): void {
  const path = body[pathField];
  if (!path) return;
  const full = isAbsolute(path) || !base ? path : join(dirname(base), path);
  body[dataField] = readFileSync(full).toString('base64');
  delete body[pathField];
}

export function viewConfig(cfg: MergedConfig, o: ViewOptions): Record<string, unknown> {
  let { clusters, users, contexts } = cfg;
  let current = cfg.currentContext;
  if (o.minify) {
    const name = o.context || current;
    if (!name) throw new CliError('current-context must exist in order to minify');
    const ctx = contexts.find((c) => c.name === name);
    if (!ctx) throw new CliError(`cannot locate context ${name}`);
    const cluster = clusters.find((c) => c.name === ctx.context?.cluster);
    if (!cluster) throw new CliError(`cannot locate cluster ${ctx.context?.cluster ?? ''}`);
    const user = users.find((u) => u.name === ctx.context?.user);
    if (!user && ctx.context?.user) throw new CliError(`cannot locate user ${ctx.context.user}`);
    contexts = [ctx];
    clusters = [cluster];
    users = user ? [user] : [];
    current = name;
  }
  const viewClusters = clusters.map((c) => {
    const body = ordered(c.cluster, CLUSTER_FIELDS, ['server']);
    if (o.flatten) flattened(body, 'certificate-authority', 'certificate-authority-data', cfg.sourceOf?.(c));
    if (!o.raw && body['certificate-authority-data']) body['certificate-authority-data'] = OMITTED;
    return { name: c.name, cluster: ordered(body, CLUSTER_FIELDS, ['server']) };
  });
  const viewUsers = users.map((u) => {
    const body = ordered(u.user, USER_FIELDS, []);
    if (o.flatten) {
      flattened(body, 'client-certificate', 'client-certificate-data', cfg.sourceOf?.(u));
      flattened(body, 'client-key', 'client-key-data', cfg.sourceOf?.(u));
    }
    if (!o.raw) {
      for (const k of ['client-certificate-data', 'client-key-data']) if (body[k]) body[k] = OMITTED;
      for (const k of ['token', 'password']) if (body[k]) body[k] = REDACTED;
    }
    return { name: u.name, user: ordered(body, USER_FIELDS, []) };
  });
  const viewContexts = contexts.map((c) => ({ name: c.name, context: ordered(c.context, CONTEXT_FIELDS, ['cluster', 'user']) }));
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: viewClusters.length ? viewClusters : null,
    users: viewUsers.length ? viewUsers : null,
    contexts: viewContexts.length ? viewContexts : null,
    'current-context': current,
  };
}

/** `kubectl config get-contexts`: CURRENT, NAME, CLUSTER, AUTHINFO, NAMESPACE rows. */
export function contextRows(contexts: NamedEntry[], current: string): string[][] {
  return contexts.map((c) => [c.name === current ? '*' : '', c.name, c.context?.cluster ?? '', c.context?.user ?? '', c.context?.namespace ?? '']);
}

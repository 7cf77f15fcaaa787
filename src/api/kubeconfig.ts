// Standard kubeconfig files: kctl writes one per cluster (so kubectl works with it as it is) and
// reads it back, honouring KUBECONFIG and the usual overrides.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from './http-client.js';

export function kctlHome(): string {
  return process.env.KCTL_HOME || join(process.env.HOME || '/root', '.kctl');
}

export function defaultKubeconfigPath(): string {
  return join(kctlHome(), 'kubeconfig');
}

export interface KubeconfigOverrides {
  kubeconfig?: string;
  context?: string;
  server?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface ResolvedConfig extends Connection {
  namespace: string;
  source: string;
}

export interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

export interface RawConfig {
  'current-context'?: string;
  clusters?: Named<{ server?: string; 'insecure-skip-tls-verify'?: boolean; 'certificate-authority-data'?: string; 'certificate-authority'?: string }>[];
  users?: Named<{ token?: string; tokenFile?: string }>[];
  contexts?: Named<{ cluster?: string; user?: string; namespace?: string }>[];
}

export async function parseConfig(text: string, file: string): Promise<RawConfig> {
  // kctl writes its kubeconfig as JSON (valid kubeconfig, as YAML is a superset), which parses
  // without loading a YAML parser; anyone else's YAML file still reads.
  try {
    return (JSON.parse(text) ?? {}) as RawConfig;
  } catch {
    // not JSON: YAML below
  }
  const { parse } = await import('yaml');
  try {
    return (parse(text) ?? {}) as RawConfig;
  } catch (err) {
    throw new Error(`error loading config file "${file}": ${(err as Error).message}`);
  }
}

/** The files that make up the configuration, in precedence order: --kubeconfig, else $KUBECONFIG's, else kctl's. */
export function configFiles(o: KubeconfigOverrides): string[] {
  if (o.kubeconfig) return [o.kubeconfig];
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':').filter(Boolean);
  return [defaultKubeconfigPath()];
}

/** Merges the files first-wins, as kubectl does, and resolves the current context. */
export async function loadConfig(o: KubeconfigOverrides = {}): Promise<ResolvedConfig> {
  const files = configFiles(o);
  const merged: RawConfig = { clusters: [], users: [], contexts: [] };
  let found = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (o.kubeconfig) throw new Error(`stat ${file}: no such file or directory`);
      continue;
    }
    found = true;
    const cfg = await parseConfig(text, file);
    merged['current-context'] ??= cfg['current-context'];
    for (const k of ['clusters', 'users', 'contexts'] as const) {
      for (const item of cfg[k] ?? []) if (!merged[k]!.some((x) => x.name === item.name)) merged[k]!.push(item as any);
    }
  }
  const source = files.join(':');
  if (!found && !o.server) {
    throw new Error(`no cluster configuration found at ${source}: start one with "kctl cluster up", or pass --kubeconfig or --server`);
  }
  const ctxName = o.context ?? merged['current-context'];
  const ctx = merged.contexts!.find((c) => c.name === ctxName)?.context;
  if (o.context && !ctx) throw new Error(`context "${o.context}" does not exist`);
  const cluster = merged.clusters!.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = merged.users!.find((u) => u.name === ctx?.user)?.user;
  const server = o.server ?? cluster?.server;
  if (!server) throw new Error(`the current context in ${source} names no cluster with a server address`);
  let token = o.token ?? user?.token;
  if (!token && user?.tokenFile) token = readFileSync(user.tokenFile, 'utf8').trim();
  let ca: string | undefined;
  if (cluster?.['certificate-authority-data']) ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  else if (cluster?.['certificate-authority']) ca = readFileSync(cluster['certificate-authority'], 'utf8');
  return {
    server,
    token,
    ca,
    insecure: o.insecureSkipTlsVerify ?? cluster?.['insecure-skip-tls-verify'] ?? false,
    namespace: ctx?.namespace || 'default',
    source,
  };
}

/** Writes a standard kubeconfig (mode 0600: it holds the admin token). */
export function writeKubeconfig(file: string, name: string, server: string, token: string, caPem: string): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: `${name}-admin`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

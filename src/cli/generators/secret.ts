// The Secrets `kubectl create secret generic|tls|docker-registry` build.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { secretHash } from './content-hash.js';
import { checkEnvFileAlone, type DataFlags } from './configmap.js';
import { SECRET_KEY_RULES, collectData, type DataSource } from './data-sources.js';
import { sortedMap, typedObject } from './typed-object.js';

export const DEFAULT_DOCKER_SERVER = 'https://index.docker.io/v1/';

/** A Secret of the type (omitted when empty, as Go's omitempty does) with base64 data. */
export function secretOf(name: string, namespace: string | undefined, type: string, entries: [string, Buffer][]): KubeObject {
  const secret = typedObject('v1', 'Secret', name, namespace);
  if (entries.length) secret.data = sortedMap(entries.map(([k, v]) => [k, v.toString('base64')]));
  if (type) secret.type = type;
  return secret;
}

function withHash(secret: KubeObject, appendHash: boolean): KubeObject {
  if (appendHash) secret.metadata.name = `${secret.metadata.name}-${secretHash({ ...secret, data: secret.data ?? {} })}`;
  return secret;
}

/** `create secret generic`: literals, then files, then env files (kubectl's order, unlike configmap's). */
export function genericSecretFor(f: DataFlags & { type: string }): KubeObject {
  checkEnvFileAlone(f);
  const sources: DataSource[] = [
    ...f.fromLiteral.map((spec) => ({ kind: 'literal' as const, spec })),
    ...f.fromFile.map((spec) => ({ kind: 'file' as const, spec })),
    ...f.fromEnvFile.map((spec) => ({ kind: 'env-file' as const, spec })),
  ];
  return withHash(secretOf(f.name, f.namespace, f.type, collectData(sources, SECRET_KEY_RULES)), f.appendHash);
}

function readOrFail(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`open ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`);
  }
}

/** Go's tls.X509KeyPair checks, with its messages: both PEM, and the key matching the certificate. */
export function checkKeyPair(certPem: Buffer, keyPem: Buffer): void {
  if (!/-----BEGIN [A-Z ]*CERTIFICATE-----/.test(certPem.toString('latin1'))) throw new CliError('tls: failed to find any PEM data in certificate input');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(keyPem.toString('latin1'))) throw new CliError('tls: failed to find any PEM data in key input');
  let cert: X509Certificate;
  let key: KeyObject;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw new CliError(`x509: malformed certificate: ${(err as Error).message}`);
  }
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new CliError('tls: failed to parse private key');
  }
  if (!cert.checkPrivateKey(key)) throw new CliError('tls: private key does not match public key');
}

export interface TlsFlags {
  name: string;
  namespace?: string;
  cert: string;
  key: string;
  appendHash: boolean;
}

export function tlsSecretFor(f: TlsFlags): KubeObject {
  if (!f.cert || !f.key) throw new CliError('key and cert must be specified');
  const cert = readOrFail(f.cert);
  const key = readOrFail(f.key);
  checkKeyPair(cert, key);
  return withHash(secretOf(f.name, f.namespace, 'kubernetes.io/tls', [['tls.crt', cert], ['tls.key', key]]), f.appendHash);
}

export interface DockerRegistryFlags {
  name: string;
  namespace?: string;
  server: string;
  username?: string;
  password?: string;
  email?: string;
  fromFile: string[];
  appendHash: boolean;
}

/** The .dockerconfigjson kubectl writes: one entry for the server, `auth` being base64(user:password). */
export function dockerConfigJson(server: string, username: string, password: string, email?: string): string {
  const entry = { username, password, ...(email ? { email } : {}), auth: Buffer.from(`${username}:${password}`).toString('base64') };
  return JSON.stringify({ auths: { [server]: entry } });
}

export function dockerRegistrySecretFor(f: DockerRegistryFlags): KubeObject {
  if (f.fromFile.length === 0 && (!f.username || !f.password || !f.server)) {
    throw new CliError('either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
  }
  const entries: [string, Buffer][] = f.fromFile.length
    ? collectData(f.fromFile.map((spec) => ({ kind: 'file' as const, spec })), SECRET_KEY_RULES)
    : [['.dockerconfigjson', Buffer.from(dockerConfigJson(f.server, f.username!, f.password!, f.email))]];
  return withHash(secretOf(f.name, f.namespace, 'kubernetes.io/dockerconfigjson', entries), f.appendHash);
}

// Kubernetes bootstrap tokens (`abcdef.0123456789abcdef`): how they are generated, stored as
// `bootstrap-token-<id>` Secrets in kube-system (the format kubeadm writes and the API server's
// bootstrap authenticator reads), and when they have expired. Shared by `kctl token`,
// `kctl cluster up` and the daemon's authentication.
import { randomInt } from 'node:crypto';
import type { KubeObject } from './types.js';
import { rfc3339 } from './timestamps.js';

export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
/** The group every bootstrap token authenticates as, besides its auth-extra-groups. */
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Kubernetes' usage keys are `usage-bootstrap-<usage>`.
const USAGE_PREFIX = 'usage-bootstrap-';

export interface BootstrapToken {
  id: string;
  secret: string;
}

/** What a bootstrap-token Secret says, decoded. */
export interface BootstrapTokenInfo extends BootstrapToken {
  /** Absent: the token never expires. */
  expiration?: string;
  /** `authentication`, `signing`, in the order the Secret's keys come. */
  usages: string[];
  description?: string;
  extraGroups: string[];
}

export function formatBootstrapToken(t: BootstrapToken): string {
  return `${t.id}.${t.secret}`;
}

/** The id and secret of a `[a-z0-9]{6}.[a-z0-9]{16}` token; undefined for anything else. */
export function parseBootstrapToken(text: string): BootstrapToken | undefined {
  const m = TOKEN_RE.exec(text);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

function randomChars(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += TOKEN_CHARS[randomInt(TOKEN_CHARS.length)];
  return s;
}

export function generateBootstrapToken(): BootstrapToken {
  return { id: randomChars(6), secret: randomChars(16) };
}

export function bootstrapTokenSecretName(id: string): string {
  return `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`;
}

export interface BootstrapTokenSecretOptions {
  /** Absent: the token never expires. */
  expires?: Date;
  description?: string;
  usages?: string[];
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The Secret that makes a token valid, exactly as kubeadm writes it. */
export function bootstrapTokenSecret(token: BootstrapToken, opts: BootstrapTokenSecretOptions = {}): KubeObject {
  const data: Record<string, string> = { 'token-id': base64(token.id), 'token-secret': base64(token.secret) };
  if (opts.description) data.description = base64(opts.description);
  if (opts.expires) data.expiration = base64(rfc3339(opts.expires));
  for (const usage of opts.usages ?? ['authentication']) data[`${USAGE_PREFIX}${usage}`] = base64('true');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapTokenSecretName(token.id), namespace: BOOTSTRAP_TOKEN_NAMESPACE },
    type: BOOTSTRAP_TOKEN_SECRET_TYPE,
    data,
  };
}

/** The token a Secret describes; undefined when it is not a well-formed bootstrap-token Secret. */
export function readBootstrapTokenSecret(secret: KubeObject): BootstrapTokenInfo | undefined {
  if (secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
  const data: Record<string, string> = secret.data ?? {};
  const field = (key: string) => (data[key] === undefined ? undefined : Buffer.from(data[key], 'base64').toString('utf8'));
  const id = field('token-id');
  const tokenSecret = field('token-secret');
  if (!id || !tokenSecret || secret.metadata.name !== bootstrapTokenSecretName(id)) return undefined;
  if (!parseBootstrapToken(`${id}.${tokenSecret}`)) return undefined;
  const usages = Object.keys(data)
    .filter((k) => k.startsWith(USAGE_PREFIX) && field(k) === 'true')
    .map((k) => k.slice(USAGE_PREFIX.length));
  const extraGroups = (field('auth-extra-groups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const info: BootstrapTokenInfo = { id, secret: tokenSecret, usages, extraGroups };
  const expiration = field('expiration');
  if (expiration) info.expiration = expiration;
  const description = field('description');
  if (description) info.description = description;
  return info;
}

/** Kubernetes only lets a token join groups under `system:bootstrappers:`. */
export function isValidBootstrapGroup(group: string): boolean {
  return EXTRA_GROUP_RE.test(group);
}

/**
 * Whether an `expiration` has passed. As in Kubernetes, a value that is not RFC 3339 counts as
 * expired, so a malformed Secret never grants access forever.
 */
export function hasExpired(expiration: string | undefined, now: Date): boolean {
  if (expiration === undefined) return false;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(expiration)) return true;
  const at = Date.parse(expiration);
  return Number.isNaN(at) || now.getTime() > at;
}

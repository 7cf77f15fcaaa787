// kube-apiserver's EncryptionConfiguration (apiserver.config.k8s.io/v1), the file given with
// --encryption-provider-config: for each group of resources, the providers in order (the first
// writes, all read). New clusters get one that encrypts Secrets with secretbox.
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { storagePrefix, findByGroupPlural } from '../../api/resources.js';
import { ValueTransformer, type Provider, type ProviderType } from './value-transformer.js';

/** Which transformer, if any, reads and writes the value stored under a key. */
export type TransformerFor = (storageKey: string) => ValueTransformer | undefined;

export class EncryptionConfigError extends Error {}

// Kubernetes' key sizes: AES-128/192/256 for the AES providers, 32 bytes for secretbox.
const KEY_SIZES: Record<Exclude<ProviderType, 'identity'>, number[]> = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] };
const PROVIDER_TYPES = ['aescbc', 'aesgcm', 'secretbox', 'identity'] as const;

function fail(message: string): never {
  throw new EncryptionConfigError(message);
}

function parseProvider(raw: unknown, at: string): Provider {
  if (!raw || typeof raw !== 'object') fail(`${at}: must be a provider such as {secretbox: {keys: [...]}}`);
  const types = Object.keys(raw);
  if (types.length !== 1) fail(`${at}: exactly one provider type per entry, got ${types.join(', ') || 'none'}`);
  const type = types[0] as ProviderType;
  if (type === ('kms' as ProviderType)) fail(`${at}: kms providers are not supported; use secretbox, aesgcm or aescbc`);
  if (!(PROVIDER_TYPES as readonly string[]).includes(type)) fail(`${at}: unknown provider "${type}" (supported: ${PROVIDER_TYPES.join(', ')})`);
  if (type === 'identity') return { type, keys: [] };
  const keys = (raw as Record<string, { keys?: unknown }>)[type]?.keys;
  if (!Array.isArray(keys) || keys.length === 0) fail(`${at}.${type}.keys: at least one key is required`);
  const names = new Set<string>();
  return {
    type,
    keys: keys.map((k: { name?: unknown; secret?: unknown }, i) => {
      const where = `${at}.${type}.keys[${i}]`;
      if (typeof k?.name !== 'string' || !k.name || k.name.includes(':')) fail(`${where}.name: a name without ':' is required`);
      if (names.has(k.name)) fail(`${where}.name: duplicate key name "${k.name}"`);
      names.add(k.name);
      if (typeof k.secret !== 'string') fail(`${where}.secret: a base64-encoded key is required`);
      const secret = Buffer.from(k.secret, 'base64');
      if (secret.toString('base64') !== k.secret.replace(/\s/g, '') || !KEY_SIZES[type].includes(secret.length)) {
        fail(`${where}.secret: must be base64 of ${KEY_SIZES[type].join(', ')} bytes, got ${secret.length} bytes`);
      }
      return { name: k.name, secret };
    }),
  };
}

/** `secrets`, `deployments.apps`, `*.apps`, `*.` (the core group) or `*.*` as a key prefix. */
function keyPrefix(resource: string, at: string): string {
  if (resource === '*.*') return '/';
  const dot = resource.indexOf('.');
  const plural = dot < 0 ? resource : resource.slice(0, dot);
  const group = dot < 0 ? '' : resource.slice(dot + 1);
  if (plural === '*') return `/${group || 'core'}/`;
  const r = findByGroupPlural(group, plural);
  if (!r) fail(`${at}: "${resource}" is not a resource this API server stores`);
  return storagePrefix(r);
}

/** Parses the file's text; throws EncryptionConfigError naming the bad entry. */
export function parseEncryptionConfig(text: string): TransformerFor {
  let doc: any;
  try {
    doc = parse(text);
  } catch (err) {
    fail(`not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc?.kind !== 'EncryptionConfiguration' || doc?.apiVersion !== 'apiserver.config.k8s.io/v1') {
    fail('must be apiVersion: apiserver.config.k8s.io/v1, kind: EncryptionConfiguration');
  }
  if (!Array.isArray(doc.resources)) fail('resources: a list is required');
  // More specific entries first, as Kubernetes matches exact names before wildcards.
  const entries: Array<{ prefix: string; transformer: ValueTransformer }> = [];
  doc.resources.forEach((entry: any, i: number) => {
    const at = `resources[${i}]`;
    if (!Array.isArray(entry?.resources) || entry.resources.length === 0) fail(`${at}.resources: at least one resource is required`);
    if (!Array.isArray(entry.providers) || entry.providers.length === 0) fail(`${at}.providers: at least one provider is required`);
    const transformer = new ValueTransformer(entry.providers.map((p: unknown, j: number) => parseProvider(p, `${at}.providers[${j}]`)));
    entry.resources.forEach((res: unknown, j: number) => {
      if (typeof res !== 'string') fail(`${at}.resources[${j}]: must be a resource name`);
      const prefix = keyPrefix(res, `${at}.resources[${j}]`);
      if (!entries.some((e) => e.prefix === prefix)) entries.push({ prefix, transformer });
    });
  });
  entries.sort((a, b) => b.prefix.length - a.prefix.length);
  return (storageKey) => entries.find((e) => storageKey.startsWith(e.prefix))?.transformer;
}

/** The configuration a new cluster starts with: Secrets sealed with a fresh secretbox key; identity reads older plain values. */
export function newEncryptionConfig(): string {
  return [
    '# Encryption at rest of Secrets (kube-apiserver\'s EncryptionConfiguration). The first provider',
    '# writes, all read: to rotate, add a new key first, restart, rewrite every Secret, drop the old key.',
    '# See docs/security.md.',
    'apiVersion: apiserver.config.k8s.io/v1',
    'kind: EncryptionConfiguration',
    'resources:',
    '  - resources:',
    '      - secrets',
    '    providers:',
    '      - secretbox:',
    '          keys:',
    '            - name: key1',
    `              secret: ${randomBytes(32).toString('base64')}`,
    '      - identity: {}',
    '',
  ].join('\n');
}

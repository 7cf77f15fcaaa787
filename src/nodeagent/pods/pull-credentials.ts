// Pure: the credentials a pod's imagePullSecrets give for an image, as the kubelet's keyring picks
// them (pkg/credentialprovider): every secret's registry keys, most specific first, matched against
// the image's repository by host (labels may be globs such as *.example.com), port and path prefix.
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { RegistryAuth } from '../docker/docker-client.js';

/** Docker Hub, as images without a registry host are pulled from it and as its keys are written. */
const DEFAULT_REGISTRY = 'index.docker.io';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

interface DockerConfigEntry {
  username?: string;
  password?: string;
  auth?: string;
  email?: string;
}

interface KeyedCredentials {
  /** host[:port][/path], without scheme, /v1/ or /v2/. */
  key: string;
  auth: RegistryAuth;
}

/** Why a secret gives no credentials: a wrong type or data that is not a Docker config. */
export class PullSecretError extends Error {}

/** The entries of a kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg Secret. */
export function dockerConfigEntries(secret: Secret): Record<string, DockerConfigEntry> {
  const name = secret.metadata?.name ?? '';
  const field = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
  if (secret.type !== 'kubernetes.io/dockerconfigjson' && secret.type !== 'kubernetes.io/dockercfg') {
    throw new PullSecretError(`secret "${name}" is of type "${secret.type ?? 'Opaque'}", not kubernetes.io/dockerconfigjson`);
  }
  const raw = secret.data?.[field];
  if (!raw) throw new PullSecretError(`secret "${name}" has no ${field}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new PullSecretError(`secret "${name}": ${field} is not JSON`);
  }
  const entries = field === '.dockerconfigjson' ? (parsed as { auths?: unknown } | null)?.auths : parsed;
  if (!entries || typeof entries !== 'object') throw new PullSecretError(`secret "${name}": ${field} has no registries`);
  return entries as Record<string, DockerConfigEntry>;
}

/** `https://host:5000/v2/` → `host:5000`; `host/team` stays; as the keyring's Add normalizes keys. */
export function registryKey(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(location) ? location : `https://${location}`);
  } catch {
    return undefined;
  }
  let path = decodeURIComponent(url.pathname);
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
  return path && path !== '/' ? `${url.host}${path}` : url.host;
}

function entryAuth(entry: DockerConfigEntry, serveraddress: string): RegistryAuth {
  let { username = '', password = '' } = entry;
  if (entry.auth && !username && !password) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  return { username, password, serveraddress, ...(entry.email ? { email: entry.email } : {}) };
}

/** The repository an image is pulled from, with its registry host: `busybox:1` → `index.docker.io/library/busybox`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repo = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const first = repo.split('/')[0];
  const hasHost = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost) return DOCKER_HUB_NAMES.has(first) ? `${DEFAULT_REGISTRY}${repo.slice(first.length)}` : repo;
  return `${DEFAULT_REGISTRY}/${repo.includes('/') ? repo : `library/${repo}`}`;
}

function splitHost(host: string): [string, string] {
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? [host.slice(0, colon), host.slice(colon + 1)] : [host, ''];
}

/** A glob over one host label, as Go's path.Match takes it: `*` and `?` (no character classes here). */
function labelMatches(glob: string, label: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*').replace(/\?/g, '[^.]');
  return new RegExp(`^${pattern}$`).test(label);
}

/** Whether a keyring key matches a repository: same port, host labels by glob, path a prefix. */
export function keyMatches(key: string, repository: string): boolean {
  const [keyHost, ...keyPath] = key.split('/');
  const [repoHost, ...repoPath] = repository.split('/');
  const [kName, kPort] = splitHost(DOCKER_HUB_NAMES.has(keyHost) ? DEFAULT_REGISTRY : keyHost);
  const [rName, rPort] = splitHost(repoHost);
  if (kPort !== rPort) return false;
  const kLabels = kName.split('.');
  const rLabels = rName.split('.');
  if (kLabels.length !== rLabels.length || !kLabels.every((l, i) => labelMatches(l, rLabels[i]))) return false;
  return `/${repoPath.join('/')}`.startsWith(keyPath.length ? `/${keyPath.join('/')}` : '/');
}

/**
 * The credentials to try, in order, for pulling `image` with these pull secrets: those of the
 * most specific matching keys first, each secret's in the pod's order. Empty: pull anonymously.
 * A secret that holds no Docker config is skipped (and told to `onInvalid`), as the kubelet does.
 */
export function pullCredentials(image: string, secrets: Secret[], onInvalid: (err: PullSecretError) => void): RegistryAuth[] {
  const keyed: KeyedCredentials[] = [];
  for (const secret of secrets) {
    let entries: Record<string, DockerConfigEntry>;
    try {
      entries = dockerConfigEntries(secret);
    } catch (err) {
      if (!(err instanceof PullSecretError)) throw err;
      onInvalid(err);
      continue;
    }
    for (const [location, entry] of Object.entries(entries)) {
      const key = registryKey(location);
      if (key && entry && typeof entry === 'object') keyed.push({ key, auth: entryAuth(entry, key.split('/')[0]) });
    }
  }
  const repository = imageRepository(image);
  // The keyring sorts its keys in reverse order: longer (more specific) before their prefixes.
  const keys = [...new Set(keyed.map((k) => k.key))].sort().reverse();
  return keys.filter((key) => keyMatches(key, repository)).flatMap((key) => keyed.filter((k) => k.key === key).map((k) => k.auth));
}

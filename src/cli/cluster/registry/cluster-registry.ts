// The cluster's registry process on the control-plane machine (`kctl cluster up --registry`):
// started from $KCTL_HOME/registry, trusted by every Docker engine of this computer (the shared one
// and each simulated machine's read /etc/docker/certs.d/<host:port>/ca.crt), and stopped with the
// cluster. Its credentials reach pods through a dockerconfigjson Secret that the default
// ServiceAccount of the default namespace names in its imagePullSecrets.
import https from 'node:https';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../../api/types.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import { dockerConfigJson } from '../../generators/secret.js';
import { isAlive, sleep, spawnDetached, stopProcess, tail } from '../processes.js';
import { ensureRegistryFiles, readRegistryCredentials, registryPaths } from './registry-files.js';

/** Where Docker engines look for a registry's CA: one directory per host:port. */
export const DOCKER_CERTS_DIR = '/etc/docker/certs.d';
const REGISTRY_BINARY = '/usr/bin/docker-registry';
/** The Secret `cluster up --registry` makes in the default namespace, named by its default ServiceAccount. */
export const REGISTRY_SECRET = 'kctl-registry';
const SECRETS = findByKind('Secret')!;
const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;

export interface RegistryState {
  /** host:port, the name images are pushed and pulled by. */
  address: string;
  pid: number;
}

/** Whether the registry answers /v2/ (401 without credentials: it is up, with auth). */
function registryAnswers(address: string, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(`https://${address}/v2/`, { ca: caPem, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 401 || res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** Starts the registry at host:port and waits until it answers; the engines trust it from then on. */
export async function startRegistry(home: string, host: string, port: number, timeoutMs: number): Promise<RegistryState> {
  if (!existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} is missing (Debian: apt-get install docker-registry; scripts/ensure-docker.sh does it)`);
  const p = await ensureRegistryFiles(home, host, port);
  const address = `${host}:${port}`;
  const caPem = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  trustRegistry(address, caPem);
  const pid = spawnDetached([REGISTRY_BINARY, 'serve', p.config], p.log);
  const deadline = Date.now() + timeoutMs;
  while (!(await registryAnswers(address, caPem))) {
    if (!isAlive(pid)) throw new Error(`the registry exited before it answered at ${address}. Its log (${p.log}) ends with:\n${tail(p.log)}`);
    if (Date.now() > deadline) {
      await stopProcess(pid);
      throw new Error(`the registry did not answer at https://${address}/v2/ within ${timeoutMs / 1000}s; see ${p.log}`);
    }
    await sleep(50);
  }
  return { address, pid };
}

/** Stops the registry (its data stays) and takes its CA out of the engines' certs.d. */
export async function stopRegistry(home: string, state: RegistryState): Promise<void> {
  await stopProcess(state.pid);
  const caFile = join(DOCKER_CERTS_DIR, state.address, 'ca.crt');
  // Only our own: another cluster may since have taken the same address.
  try {
    if (readFileSync(caFile, 'utf8') === readFileSync(join(home, 'pki', 'ca.crt'), 'utf8')) rmSync(join(DOCKER_CERTS_DIR, state.address), { recursive: true, force: true });
  } catch {
    // never trusted, or already removed
  }
}

function trustRegistry(address: string, caPem: string): void {
  const dir = join(DOCKER_CERTS_DIR, address);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), caPem);
}

/** The registry's credentials as kubectl's `create secret docker-registry` would store them. */
export function registrySecret(home: string, address: string, namespace = 'default'): KubeObject {
  const { username, password } = readRegistryCredentials(registryPaths(home));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: REGISTRY_SECRET, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(address, username, password)).toString('base64') },
  };
}

/**
 * Puts the registry's Secret in the default namespace and names it in the default ServiceAccount's
 * imagePullSecrets, so pods there pull from the registry with no change to their manifests.
 */
export async function publishRegistrySecret(client: ApiClient, home: string, address: string): Promise<void> {
  const secret = registrySecret(home, address);
  try {
    await client.create(SECRETS, 'default', secret);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    await client.patch(SECRETS, 'default', REGISTRY_SECRET, 'merge', { type: secret.type, data: secret.data });
  }
  for (let attempt = 0; ; attempt++) {
    let sa: KubeObject | undefined;
    try {
      sa = await client.get(SERVICE_ACCOUNTS, 'default', 'default');
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
    }
    try {
      if (!sa) {
        await client.create(SERVICE_ACCOUNTS, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' }, imagePullSecrets: [{ name: REGISTRY_SECRET }] });
        return;
      }
      const names: Array<{ name?: string }> = sa.imagePullSecrets ?? [];
      if (names.some((s) => s.name === REGISTRY_SECRET)) return;
      await client.update(SERVICE_ACCOUNTS, 'default', { ...sa, imagePullSecrets: [...names, { name: REGISTRY_SECRET }] });
      return;
    } catch (err) {
      // The ServiceAccount controller made or changed it meanwhile: read it again.
      const raced = err instanceof ApiError && (err.reason === 'AlreadyExists' || err.reason === 'Conflict');
      if (!raced || attempt >= 5) throw err;
    }
  }
}

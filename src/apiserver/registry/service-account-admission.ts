// Kubernetes' ServiceAccount admission plugin, on pod create: the pod runs as its namespace's
// `default` service account unless it names one, which must exist; unless automounting is turned
// off (pod first, then service account), every container gets the kube-api-access projected
// volume (a bound token, the cluster CA, the namespace) at /var/run/secrets/kubernetes.io/serviceaccount.
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { generateName } from './object-meta.js';
import { DEFAULT_SERVICE_ACCOUNT, ROOT_CA_CONFIG_MAP, TOKEN_MOUNT_PATH } from '../../api/service-accounts.js';

const VOLUME_PREFIX = 'kube-api-access-';
/** The kubelet's projected token lifetime, which the API server extends for pods (see token-request.ts). */
const PROJECTED_TOKEN_EXPIRATION_SECONDS = 3607;
/** 0644, as the projected volume's defaulting writes it. */
const DEFAULT_MODE = 420;
/** The plugin looks the default service account up this often before refusing: the controller makes it just after the namespace. */
const DEFAULT_ACCOUNT_ATTEMPTS = 10;

export type ServiceAccountLookup = (namespace: string, name: string) => KubeObject | undefined;

function serviceAccountName(pod: KubeObject): string {
  return pod?.spec?.serviceAccountName || pod?.spec?.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
}

function lookupError(pod: KubeObject, namespace: string, name: string): ApiError {
  return new ApiError(
    'Forbidden',
    `pods "${pod.metadata.name ?? ''}" is forbidden: error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
    { name: pod.metadata.name ?? '', kind: 'pods' },
  );
}

/**
 * Waits (as Kubernetes does: up to 10 looks, 100–200 ms apart) for a pod's `default` service
 * account when it does not exist yet, so a pod created right after its namespace is admitted.
 * Other service accounts are looked up once, by admitServiceAccount.
 */
export async function awaitDefaultServiceAccount(pod: KubeObject, namespace: string, lookup: ServiceAccountLookup): Promise<void> {
  if (serviceAccountName(pod) !== DEFAULT_SERVICE_ACCOUNT) return;
  const interval = 100 + Math.floor(Math.random() * 100);
  for (let i = 1; i < DEFAULT_ACCOUNT_ATTEMPTS && !lookup(namespace, DEFAULT_SERVICE_ACCOUNT); i++) {
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The volume Kubernetes (since 1.22) mounts a pod's API credentials from. */
export function kubeApiAccessVolume(name: string): object {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: PROJECTED_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: DEFAULT_MODE,
    },
  };
}

function shouldAutomount(sa: KubeObject, pod: KubeObject): boolean {
  return pod.spec?.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

/** Adds the kube-api-access volume and its mount to every container not already mounting something there. */
export function mountServiceAccountToken(pod: KubeObject): void {
  const spec = pod.spec;
  const volumes: any[] = (spec.volumes ??= []);
  const existing = volumes.find((v) => typeof v.name === 'string' && v.name.startsWith(VOLUME_PREFIX));
  const volumeName: string = existing?.name ?? generateName(VOLUME_PREFIX);
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const mounts: any[] = c.volumeMounts ?? [];
    if (mounts.some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (needed && !existing) volumes.push(kubeApiAccessVolume(volumeName));
  if (volumes.length === 0) delete spec.volumes;
}

/** The plugin's mutation and check on a pod being created; throws Kubernetes' Forbidden when its service account is missing. */
export function admitServiceAccount(pod: KubeObject, namespace: string, lookup: ServiceAccountLookup): void {
  const spec = (pod.spec ??= {});
  const name = serviceAccountName(pod);
  spec.serviceAccountName = spec.serviceAccount = name;
  const sa = lookup(namespace, name);
  if (!sa) throw lookupError(pod, namespace, name);
  if (shouldAutomount(sa, pod)) mountServiceAccountToken(pod);
  const pullSecrets: any[] = sa.imagePullSecrets ?? [];
  if (!spec.imagePullSecrets?.length && pullSecrets.length) spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name }));
}

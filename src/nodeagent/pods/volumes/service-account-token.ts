// Projected serviceAccountToken sources: tokens bound to the pod from the TokenRequest API,
// reused until 80% of their lifetime has passed, as the kubelet's token manager does.
import type { Pod, ServiceAccountTokenProjection } from 'kubernetes-types/core/v1.js';
import { resourcePath, type HttpClient } from '../../../api/http-client.js';
import { findByKind } from '../../../api/resources.js';
import { MountError } from './payload.js';

const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;
/** The API's default expirationSeconds of a projected token. */
const DEFAULT_EXPIRATION_SECONDS = 3600;
const REFRESH_AT_FRACTION = 0.8;

export interface TokenRequest {
  apiVersion: 'authentication.k8s.io/v1';
  kind: 'TokenRequest';
  spec: {
    audiences: string[];
    expirationSeconds: number;
    boundObjectRef: { kind: 'Pod'; apiVersion: 'v1'; name: string; uid: string };
  };
  status?: { token: string; expirationTimestamp: string };
}

/** POSTs a TokenRequest for a service account: the answer's status. */
export type TokenRequester = (namespace: string, serviceAccount: string, request: TokenRequest) => Promise<TokenRequest>;

/** `POST /api/v1/namespaces/{ns}/serviceaccounts/{sa}/token`. */
export function httpTokenRequester(client: HttpClient): TokenRequester {
  return (namespace, serviceAccount, request) => client.request('POST', resourcePath(SERVICE_ACCOUNTS, namespace, serviceAccount, 'token'), request);
}

export function tokenRequest(pod: Pod, source: ServiceAccountTokenProjection): TokenRequest {
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {
      audiences: source.audience ? [source.audience] : [],
      expirationSeconds: source.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata!.name!, uid: pod.metadata!.uid! },
    },
  };
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

export class ServiceAccountTokens {
  /** By pod UID, then by audience and lifetime. */
  private readonly cache = new Map<string, Map<string, CachedToken>>();

  constructor(private readonly request: TokenRequester) {}

  async token(pod: Pod, source: ServiceAccountTokenProjection, now = Date.now()): Promise<string> {
    const uid = pod.metadata!.uid!;
    const req = tokenRequest(pod, source);
    const key = JSON.stringify([req.spec.audiences, req.spec.expirationSeconds]);
    const cached = this.cache.get(uid)?.get(key);
    if (cached && now < cached.refreshAt) return cached.token;
    const sa = pod.spec?.serviceAccountName || 'default';
    let answer: TokenRequest;
    try {
      answer = await this.request(pod.metadata?.namespace ?? 'default', sa, req);
    } catch (err) {
      throw new MountError(`failed to fetch token: ${(err as Error).message}`);
    }
    const token = answer.status?.token;
    if (!token) throw new MountError('failed to fetch token: the TokenRequest answer has no status.token');
    const expires = Date.parse(answer.status!.expirationTimestamp) || now + req.spec.expirationSeconds * 1000;
    let byKey = this.cache.get(uid);
    if (!byKey) this.cache.set(uid, (byKey = new Map()));
    byKey.set(key, { token, refreshAt: now + (expires - now) * REFRESH_AT_FRACTION });
    return token;
  }

  forget(uid: string): void {
    this.cache.delete(uid);
  }
}

// Who a request stands for. A TLS client certificate the cluster CA signed comes first (user =
// its CN, groups = its Os, as Kubernetes' x509 authenticator decides); then the bearer token: an
// admin token from the token file, a bootstrap token whose Secret (kube-system/bootstrap-token-<id>)
// is valid, as Kubernetes' bootstrap authenticator decides, or a service account token (a JWT this
// server signed) whose service account and bound object still exist. authenticateToken is the one
// entry point for tokens: requests and TokenReviews both use it.
import { timingSafeEqual } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { KubeObject } from '../../api/types.js';
import { findByKind, storageKey } from '../../api/resources.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_USER_PREFIX,
  BOOTSTRAPPERS_GROUP,
  bootstrapTokenSecretName,
  hasExpired,
  isValidBootstrapGroup,
  parseBootstrapToken,
  readBootstrapTokenSecret,
} from '../../api/bootstrap-token.js';
import { API_SERVER_PROXY_USER } from '../../api/remotecommand.js';
import { looksLikeJwt } from '../serviceaccount/jwt.js';
import { verifyServiceAccountToken, type TokenVerifier } from '../serviceaccount/claims.js';
import type { Authenticated, TokenCache } from './token-cache.js';
import { AUTHENTICATED_GROUP, MASTERS_GROUP, UNAUTHENTICATED_GROUP, type UserInfo } from '../authorization/user.js';

const SECRETS = findByKind('Secret')!;

/** Who a request without credentials is, where anonymous requests are allowed at all. */
export const ANONYMOUS_USER = 'system:anonymous';
export const ANONYMOUS: UserInfo = { name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] };

/** The user a verified client certificate stands for; undefined when its subject names none. */
export function certificateUser(cert: PeerCertificate): UserInfo | undefined {
  const cn = cert.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = cert.subject.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { name, groups: [...groups, AUTHENTICATED_GROUP] };
}

export interface TokenSources {
  /** The token file's tokens, with the user each stands for. */
  staticTokens: Map<string, string>;
  /** Reads a Secret from the store; undefined when there is none. */
  getSecret: (namespace: string, name: string) => KubeObject | undefined;
  /** The API server's own token for reaching node agents (it authenticates, and is granted nothing). */
  proxyToken?: string;
  /** Checks service account tokens; absent, none is accepted. */
  serviceAccountTokens?: TokenVerifier;
  now: Date;
  /** Remembers bootstrap and service account tokens that authenticated (see token-cache.ts). */
  cache?: TokenCache;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function staticUser(token: string, tokens: Map<string, string>): UserInfo | undefined {
  for (const [known, user] of tokens) {
    if (sameText(token, known)) return { name: user, groups: [MASTERS_GROUP, AUTHENTICATED_GROUP] };
  }
  return undefined;
}

function bootstrapUser(token: string, sources: TokenSources): Authenticated | undefined {
  const parsed = parseBootstrapToken(token);
  if (!parsed) return undefined;
  const secretName = bootstrapTokenSecretName(parsed.id);
  const secret = sources.getSecret(BOOTSTRAP_TOKEN_NAMESPACE, secretName);
  if (!secret || secret.metadata.deletionTimestamp) return undefined;
  const info = readBootstrapTokenSecret(secret);
  if (!info || info.id !== parsed.id || !sameText(info.secret, parsed.secret)) return undefined;
  if (hasExpired(info.expiration, sources.now) || !info.usages.includes('authentication')) return undefined;
  if (!info.extraGroups.every(isValidBootstrapGroup)) return undefined;
  return {
    user: { name: `${BOOTSTRAP_USER_PREFIX}${info.id}`, groups: [BOOTSTRAPPERS_GROUP, ...info.extraGroups, AUTHENTICATED_GROUP] },
    dependsOn: [storageKey(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, secretName)],
    ...(info.expiration ? { expiresAt: Date.parse(info.expiration) } : {}),
  };
}

function serviceAccountUser(token: string, sources: TokenSources): Authenticated | undefined {
  if (!sources.serviceAccountTokens || !looksLikeJwt(token)) return undefined;
  const verified = verifyServiceAccountToken(token, sources.serviceAccountTokens, sources.now);
  if (!('user' in verified)) return undefined;
  return {
    user: verified.user,
    dependsOn: verified.objects.map((o) => storageKey(findByKind(o.kind)!, o.namespace, o.name)),
    expiresAt: verified.expiresAt,
  };
}

/** The user a bearer token authenticates as; undefined means 401. */
export function authenticateToken(token: string, sources: TokenSources): UserInfo | undefined {
  if (!token) return undefined;
  if (sources.proxyToken && sameText(token, sources.proxyToken)) return { name: API_SERVER_PROXY_USER, groups: [AUTHENTICATED_GROUP] };
  const user = staticUser(token, sources.staticTokens);
  if (user) return user;
  const verify = () => bootstrapUser(token, sources) ?? serviceAccountUser(token, sources);
  return sources.cache ? sources.cache.authenticate(token, sources.now.getTime(), verify) : verify()?.user;
}

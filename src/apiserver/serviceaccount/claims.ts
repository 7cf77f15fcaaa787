// What a service account token says and when it still holds, as Kubernetes' serviceaccount package
// decides: the registered claims (iss, sub, aud, exp, iat, nbf, jti) plus the private
// `kubernetes.io` claim naming the namespace, the service account and the object the token is
// bound to; valid while unexpired and while those objects still exist with the same UIDs.
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { signJwt, verifyJwt } from './jwt.js';

/** The issuer kube-apiserver is given by kubeadm; also the API server's only audience. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [SERVICE_ACCOUNT_ISSUER];
export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';
const AUTHENTICATED_GROUP = 'system:authenticated';
/** go-jose's DefaultLeeway: clock skew tolerated on exp/nbf/iat, and how long a deleted object's tokens linger. */
const LEEWAY_SECONDS = 60;

interface ObjectRef {
  name: string;
  uid: string;
}

/** The private claim, as Kubernetes writes it. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: { name: string; uid?: string };
  warnafter?: number;
}

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export interface BoundObjects {
  pod?: KubeObject;
  secret?: KubeObject;
  /** The node a bound pod runs on; just its name when no Node object exists. */
  node?: { name: string; uid?: string };
}

export interface IssueOptions {
  audiences: string[];
  /** The token's lifetime (exp - iat). */
  expirationSeconds: number;
  /** Set for extended pod tokens: when the token should have expired had it not been extended. */
  warnAfterSeconds?: number;
  now: Date;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

function ref(obj: KubeObject): ObjectRef {
  return { name: obj.metadata.name!, uid: obj.metadata.uid! };
}

export function tokenClaims(sa: KubeObject, bound: BoundObjects, opts: IssueOptions): TokenClaims {
  const now = Math.floor(opts.now.getTime() / 1000);
  const namespace = sa.metadata.namespace!;
  const k8s: KubernetesClaim = { namespace, serviceaccount: ref(sa) };
  if (bound.pod) k8s.pod = ref(bound.pod);
  if (bound.secret) k8s.secret = ref(bound.secret);
  if (bound.node) k8s.node = bound.node;
  if (opts.warnAfterSeconds !== undefined) k8s.warnafter = now + opts.warnAfterSeconds;
  return {
    iss: SERVICE_ACCOUNT_ISSUER,
    sub: serviceAccountUsername(namespace, sa.metadata.name!),
    aud: opts.audiences,
    exp: now + opts.expirationSeconds,
    iat: now,
    nbf: now,
    jti: randomUUID(),
    'kubernetes.io': k8s,
  };
}

export function issueToken(sa: KubeObject, bound: BoundObjects, opts: IssueOptions, privateKey: KeyObject): { token: string; claims: TokenClaims } {
  const claims = tokenClaims(sa, bound, opts);
  return { token: signJwt(claims, privateKey), claims };
}

export type ObjectKind = 'ServiceAccount' | 'Pod' | 'Secret';

export interface TokenVerifier {
  publicKey: KeyObject;
  /** The audiences the caller accepts (the API server's own, unless a TokenReview names others). */
  audiences: string[];
  /** Reads an object from the store; undefined when there is none. */
  getObject: (kind: ObjectKind, namespace: string, name: string) => KubeObject | undefined;
}

export interface ServiceAccountUser {
  name: string;
  groups: string[];
}

/** A token that holds: who it stands for, the objects that vouch for it, and when it expires (ms since the epoch). */
export interface Verified {
  user: ServiceAccountUser;
  objects: { kind: ObjectKind; namespace: string; name: string }[];
  expiresAt: number;
}

export type Verification = Verified | { error: string };

function isRef(v: unknown): v is ObjectRef {
  return !!v && typeof (v as ObjectRef).name === 'string' && typeof (v as ObjectRef).uid === 'string';
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Why the registered claims make the token unusable now, if they do. */
function timeProblem(claims: Record<string, unknown>, now: number): string | undefined {
  const { exp, nbf, iat } = claims;
  if (typeof exp !== 'number') return 'service account token has no expiry';
  if (now > exp + LEEWAY_SECONDS) return 'service account token has expired';
  if (typeof nbf === 'number' && now + LEEWAY_SECONDS < nbf) return 'service account token is not valid yet';
  if (typeof iat === 'number' && now + LEEWAY_SECONDS < iat) return 'service account token is issued in the future';
  return undefined;
}

/** Why a referenced object no longer vouches for the token, if it does not. */
function objectProblem(
  kind: ObjectKind,
  claimed: ObjectRef,
  namespace: string,
  verifier: TokenVerifier,
  invalidIfDeletedBefore: number,
): string | undefined {
  const obj = verifier.getObject(kind, namespace, claimed.name);
  const what = kind === 'ServiceAccount' ? 'service account' : kind.toLowerCase();
  if (!obj) return `${what} ${namespace}/${claimed.name} not found`;
  if (obj.metadata.uid !== claimed.uid) return `${what} UID (${obj.metadata.uid}) does not match claim (${claimed.uid})`;
  const deleted = obj.metadata.deletionTimestamp;
  if (deleted && Date.parse(deleted) < invalidIfDeletedBefore) return `${what} ${namespace}/${claimed.name} has been deleted`;
  return undefined;
}

/** Who a service account token stands for, or why it is refused. */
export function verifyServiceAccountToken(token: string, verifier: TokenVerifier, now: Date): Verification {
  const claims = verifyJwt(token, verifier.publicKey);
  if (!claims) return { error: 'invalid signature or not a service account token' };
  if (claims.iss !== SERVICE_ACCOUNT_ISSUER) return { error: `token issuer ${JSON.stringify(claims.iss)} is not ${SERVICE_ACCOUNT_ISSUER}` };
  const aud = audiencesOf(claims.aud);
  if (!aud.some((a) => verifier.audiences.includes(a))) {
    return { error: `token audiences ${JSON.stringify(aud)} is invalid for the target audiences ${JSON.stringify(verifier.audiences)}` };
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const problem = timeProblem(claims, nowSeconds);
  if (problem) return { error: problem };
  const k8s = claims['kubernetes.io'] as Partial<KubernetesClaim> | undefined;
  if (!k8s || typeof k8s.namespace !== 'string' || !isRef(k8s.serviceaccount)) return { error: 'token lacks the kubernetes.io claims' };
  const username = serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name);
  if (claims.sub !== username) return { error: `token subject ${JSON.stringify(claims.sub)} does not match its service account` };
  const invalidIfDeletedBefore = (nowSeconds - LEEWAY_SECONDS) * 1000;
  const checks: [ObjectKind, unknown][] = [
    ['ServiceAccount', k8s.serviceaccount],
    ['Secret', k8s.secret],
    ['Pod', k8s.pod],
  ];
  const objects: Verified['objects'] = [];
  for (const [kind, claimed] of checks) {
    if (claimed === undefined) continue;
    if (!isRef(claimed)) return { error: `token has a malformed ${kind.toLowerCase()} claim` };
    const why = objectProblem(kind, claimed, k8s.namespace, verifier, invalidIfDeletedBefore);
    if (why) return { error: why };
    objects.push({ kind, namespace: k8s.namespace, name: claimed.name });
  }
  return {
    user: {
      name: username,
      groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${k8s.namespace}`, AUTHENTICATED_GROUP],
    },
    objects,
    expiresAt: ((claims.exp as number) + LEEWAY_SECONDS) * 1000,
  };
}

// serviceaccounts/token: authentication.k8s.io/v1 TokenRequest, as Kubernetes' TokenREST answers
// it. A token for a service account, optionally bound to a Pod or Secret (it dies with it), signed
// with the daemon's service account key. Nothing is stored.
import type { KubeObject, StatusCause } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { Registry } from './registry.js';
import { invalid } from './strategies/field-errors.js';
import type { SigningKey } from '../serviceaccount/signing-key.js';
import { API_AUDIENCES, issueToken, type BoundObjects } from '../serviceaccount/claims.js';

const SERVICE_ACCOUNTS = findByKind('ServiceAccount')!;
const PODS = findByKind('Pod')!;
const SECRETS = findByKind('Secret')!;
const NODES = findByKind('Node')!;

const GROUP = 'authentication.k8s.io';
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** What the kubelet asks for a projected token (1h7s); such a pod-bound token is quietly made to last a year. */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 3600;

function invalidRequest(name: string, causes: StatusCause[]): ApiError {
  return errors.invalid('TokenRequest', GROUP, name, causes);
}

function validateSpec(spec: any): StatusCause[] {
  const exp = spec.expirationSeconds;
  if (!Number.isInteger(exp)) return [invalid('spec.expirationSeconds', exp, 'must be an integer')];
  if (exp < MIN_EXPIRATION_SECONDS) return [invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes')];
  if (exp > MAX_EXPIRATION_SECONDS) return [invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds')];
  if (!Array.isArray(spec.audiences) || spec.audiences.some((a: unknown) => typeof a !== 'string')) {
    return [invalid('spec.audiences', spec.audiences, 'must be a list of strings')];
  }
  return [];
}

/** The Pod or Secret the token is bound to (and a pod's node), checked against the reference's UID. */
function boundObjects(registry: Registry, namespace: string, saName: string, ref: any): BoundObjects {
  if (!ref) return {};
  const [group, version] = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/') : ['', ref.apiVersion ?? ''];
  let obj: KubeObject;
  const bound: BoundObjects = {};
  if (group === '' && ref.kind === 'Pod') {
    obj = bound.pod = registry.get(PODS, namespace, ref.name);
    if (obj.spec?.serviceAccountName !== saName) {
      throw errors.badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
    }
    const nodeName: string | undefined = obj.spec?.nodeName;
    if (nodeName) bound.node = { name: nodeName, uid: registry.tryGet(NODES, undefined, nodeName)?.metadata.uid };
  } else if (group === '' && ref.kind === 'Secret') {
    obj = bound.secret = registry.get(SECRETS, namespace, ref.name);
  } else {
    throw errors.badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ''}`);
  }
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw errors.conflict(
      ref.kind,
      group,
      ref.name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return bound;
}

export function requestToken(registry: Registry, key: SigningKey, namespace: string, name: string, body: unknown, now = new Date()): KubeObject {
  const req = structuredClone(body) as KubeObject;
  if (!req || typeof req !== 'object' || Array.isArray(req) || (req.kind !== undefined && req.kind !== 'TokenRequest')) {
    throw errors.badRequest('the body must be an authentication.k8s.io/v1 TokenRequest');
  }
  const meta = (req.metadata ??= {});
  if (meta.name && meta.name !== name) throw invalidRequest(name, [invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  if (meta.namespace && meta.namespace !== namespace) {
    throw invalidRequest(name, [invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }
  const sa = registry.get(SERVICE_ACCOUNTS, namespace, name);
  const spec = (req.spec ??= {});
  if (!spec.audiences?.length) spec.audiences = [...API_AUDIENCES];
  spec.expirationSeconds ??= DEFAULT_EXPIRATION_SECONDS;
  const causes = validateSpec(spec);
  if (causes.length) throw invalidRequest('', causes);
  const bound = boundObjects(registry, namespace, name, spec.boundObjectRef);
  // Kubernetes' --service-account-extend-token-expiration (on by default): a pod's projected token
  // for the API server lasts a year, so a pod that fails to re-read it keeps working.
  const extend = bound.pod && spec.expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && spec.audiences.every((a: string) => API_AUDIENCES.includes(a));
  const { token } = issueToken(
    sa,
    bound,
    {
      audiences: spec.audiences,
      expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : spec.expirationSeconds,
      warnAfterSeconds: extend ? spec.expirationSeconds : undefined,
      now,
    },
    key.privateKey,
  );
  return {
    kind: 'TokenRequest',
    apiVersion: `${GROUP}/v1`,
    metadata: { name: sa.metadata.name, namespace, creationTimestamp: rfc3339(now) },
    spec,
    status: { token, expirationTimestamp: rfc3339(new Date(now.getTime() + spec.expirationSeconds * 1000)) },
  };
}

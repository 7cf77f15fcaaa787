// Join tokens through the API: `kctl token create|list` and `kctl cluster up` (which makes the
// token its node agents join with). A token is a bootstrap-token Secret in kube-system.
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { findByKind } from '../api/resources.js';
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  formatBootstrapToken,
  generateBootstrapToken,
  hasExpired,
  parseBootstrapToken,
  readBootstrapTokenSecret,
  type BootstrapTokenInfo,
} from '../api/bootstrap-token.js';

const SECRETS = findByKind('Secret')!;

export interface JoinTokenOptions {
  /** 0: the token never expires. */
  ttlMs: number;
  description?: string;
}

/** Creates a token (a new one should its random id be taken) and answers `<id>.<secret>`. */
export async function createJoinToken(client: ApiClient, opts: JoinTokenOptions, now = new Date()): Promise<string> {
  for (;;) {
    const token = generateBootstrapToken();
    const secret = bootstrapTokenSecret(token, {
      expires: opts.ttlMs > 0 ? new Date(now.getTime() + opts.ttlMs) : undefined,
      description: opts.description,
      // kubeadm's default: the token authenticates and signs cluster-info.
      usages: ['authentication', 'signing'],
    });
    try {
      await client.create(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, secret);
      return formatBootstrapToken(token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason !== 'AlreadyExists') throw err;
    }
  }
}

export async function listJoinTokens(client: ApiClient): Promise<BootstrapTokenInfo[]> {
  const list = await client.list(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, { fieldSelector: `type=${BOOTSTRAP_TOKEN_SECRET_TYPE}` });
  return list.items.map(readBootstrapTokenSecret).filter((t): t is BootstrapTokenInfo => t !== undefined);
}

/** Whether a token still lets an agent in: its Secret exists, matches and has not expired. */
export async function joinTokenValid(client: ApiClient, token: string, now = new Date()): Promise<boolean> {
  const parsed = parseBootstrapToken(token);
  if (!parsed) return false;
  try {
    const info = readBootstrapTokenSecret(await client.get(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(parsed.id)));
    return !!info && info.secret === parsed.secret && info.usages.includes('authentication') && !hasExpired(info.expiration, now);
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'NotFound') return false;
    throw err;
  }
}

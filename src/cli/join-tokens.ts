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
  type BootstrapToken,
  type BootstrapTokenInfo,
} from '../api/bootstrap-token.js';

const SECRETS = findByKind('Secret')!;

export interface JoinTokenOptions {
  /** 0: the token never expires. */
  ttlMs: number;
  description?: string;
}

function joinTokenSecret(token: BootstrapToken, opts: JoinTokenOptions, now: Date) {
  return bootstrapTokenSecret(token, {
    expires: opts.ttlMs > 0 ? new Date(now.getTime() + opts.ttlMs) : undefined,
    description: opts.description,
    // kubeadm's default: the token authenticates and signs cluster-info.
    usages: ['authentication', 'signing'],
  });
}

/** Creates a token (a new one should its random id be taken) and answers `<id>.<secret>`. */
export async function createJoinToken(client: ApiClient, opts: JoinTokenOptions, now = new Date()): Promise<string> {
  for (;;) {
    const token = generateBootstrapToken();
    const secret = joinTokenSecret(token, opts, now);
    try {
      await client.create(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, secret);
      return formatBootstrapToken(token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason !== 'AlreadyExists') throw err;
    }
  }
}

/**
 * Makes a token chosen beforehand valid (kubeadm's `token create TOKEN`): its Secret is created, or
 * replaced when one with its id no longer lets it in (another secret part, expired, not for
 * authentication).
 */
export async function ensureJoinToken(client: ApiClient, text: string, opts: JoinTokenOptions, now = new Date()): Promise<void> {
  const token = parseBootstrapToken(text);
  if (!token) throw new Error(`"${text}" is not a join token (<id>.<secret>)`);
  const secret = joinTokenSecret(token, opts, now);
  try {
    await client.create(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, secret);
  } catch (err) {
    if (!(err instanceof ApiError) || err.reason !== 'AlreadyExists') throw err;
    if (!(await joinTokenValid(client, text, now))) await client.update(SECRETS, BOOTSTRAP_TOKEN_NAMESPACE, secret);
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

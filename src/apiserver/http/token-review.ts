// authentication.k8s.io/v1 TokenReview: who a bearer token stands for, answered from the API
// server's own authenticator. Node agents ask it about the tokens sent to their endpoint.
import { errors } from '../../api/errors.js';
import type { UserInfo } from '../authorization/user.js';
import type { ResourceAttributes } from '../authorization/attributes.js';

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

export function tokenReviewAttributes(method: string): ResourceAttributes {
  return { resourceRequest: true, verb: method === 'POST' ? 'create' : method.toLowerCase(), apiGroup: 'authentication.k8s.io', resource: 'tokenreviews' };
}

/** The TokenReview answered for a created one: its spec, and the status the token earns. */
export function reviewToken(body: unknown, authenticate: (token: string) => UserInfo | undefined): object {
  const review = body as { kind?: string; spec?: { token?: unknown; audiences?: unknown } } | null;
  if (!review || typeof review !== 'object' || (review.kind !== undefined && review.kind !== 'TokenReview')) {
    throw errors.badRequest('the body must be an authentication.k8s.io/v1 TokenReview');
  }
  const token = review.spec?.token;
  if (typeof token !== 'string' || token === '') {
    throw errors.invalid('TokenReview', 'authentication.k8s.io', '', [
      { reason: 'FieldValueRequired', message: 'Required value: token must not be empty', field: 'spec.token' },
    ]);
  }
  const user = authenticate(token);
  return {
    kind: 'TokenReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: user ? { authenticated: true, user: { username: user.name, groups: user.groups } } : { user: {} },
  };
}

// Who a bearer token sent to the agent stands for, asked of the API server with a TokenReview, as
// the kubelet's webhook authenticator does. Answers are cached for a minute so a followed log or
// a busy exec client does not cost the API server a review per request.
import type { HttpClient } from '../../api/http-client.js';

export interface ReviewedUser {
  username: string;
  groups: string[];
}

const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 1000;

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; groups?: string[] };
  error?: string;
}

export class TokenReviewer {
  private readonly cache = new Map<string, { user: ReviewedUser | undefined; expires: number }>();

  constructor(
    private readonly client: Pick<HttpClient, 'request'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's user; undefined when the API server does not authenticate it. */
  async review(token: string): Promise<ReviewedUser | undefined> {
    const cached = this.cache.get(token);
    if (cached && cached.expires > this.now()) return cached.user;
    const answer = await this.client.request<{ status?: TokenReviewStatus }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token },
    });
    const s = answer.status ?? {};
    const user = s.authenticated && s.user?.username ? { username: s.user.username, groups: s.user.groups ?? [] } : undefined;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(token, { user, expires: this.now() + CACHE_TTL_MS });
    return user;
  }
}

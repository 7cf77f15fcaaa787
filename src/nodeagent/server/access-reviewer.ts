// Whether a user may read one of the agent's non-resource paths (/metrics), asked of the API server
// with a SubjectAccessReview as the kubelet's webhook authorizer does. Answers are cached for a
// minute, so a scraper every few seconds costs the API server one review a minute.
import type { HttpClient } from '../../api/http-client.js';
import type { ReviewedUser } from './token-reviewer.js';

const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 1000;

export class AccessReviewer {
  private readonly cache = new Map<string, { allowed: boolean; expires: number }>();

  constructor(
    private readonly client: Pick<HttpClient, 'request'>,
    private readonly now: () => number = Date.now,
  ) {}

  async allowed(user: ReviewedUser, verb: string, path: string): Promise<boolean> {
    const key = JSON.stringify([user.username, user.groups, verb, path]);
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return cached.allowed;
    const answer = await this.client.request<{ status?: { allowed?: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: user.username, groups: user.groups, nonResourceAttributes: { verb, path } },
    });
    const allowed = answer.status?.allowed === true;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { allowed, expires: this.now() + CACHE_TTL_MS });
    return allowed;
  }
}

// Impersonation headers (`kubectl --as`, `--as-group`, `--as-uid`): the request runs as the user
// named, once the authenticated user is allowed the `impersonate` verb on each part: users (or
// serviceaccounts for `system:serviceaccount:NS:NAME`), groups, uids and userextras/KEY.
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { ResourceAttributes } from '../authorization/attributes.js';
import type { RequestAuthorizer } from '../authorization/authorizer.js';
import { AUTHENTICATED_GROUP, SERVICE_ACCOUNT_USER_PREFIX, SERVICE_ACCOUNTS_GROUP, type UserInfo } from '../authorization/user.js';

const EXTRA_PREFIX = 'impersonate-extra-';
const ANONYMOUS = 'system:anonymous';

function values(headers: IncomingHttpHeaders, name: string): string[] {
  const v = headers[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

function impersonate(resource: string, name: string, more: Partial<ResourceAttributes> = {}): ResourceAttributes {
  return { resourceRequest: true, verb: 'impersonate', apiGroup: '', resource, name, ...more };
}

/** The user the request acts as: the authenticated one, or the one its headers impersonate. */
export function impersonatedUser(headers: IncomingHttpHeaders, user: UserInfo, authorizer: RequestAuthorizer): UserInfo {
  const name = typeof headers['impersonate-user'] === 'string' ? headers['impersonate-user'].trim() : '';
  const groups = values(headers, 'impersonate-group');
  const uid = typeof headers['impersonate-uid'] === 'string' ? headers['impersonate-uid'].trim() : '';
  const extra: Record<string, string[]> = {};
  for (const [header, value] of Object.entries(headers)) {
    if (!header.startsWith(EXTRA_PREFIX) || value === undefined) continue;
    extra[decodeURIComponent(header.slice(EXTRA_PREFIX.length))] = Array.isArray(value) ? value : [value];
  }
  if (!name) {
    if (groups.length || uid || Object.keys(extra).length) throw new ApiError('BadRequest', 'requested impersonation of groups, uid or extra without impersonating a user');
    return user;
  }
  const checks: ResourceAttributes[] = [];
  const asUser: UserInfo = { name, groups: [...groups] };
  if (name.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) {
    const [namespace, account] = name.slice(SERVICE_ACCOUNT_USER_PREFIX.length).split(':');
    checks.push(impersonate('serviceaccounts', account ?? '', { namespace }));
    asUser.groups.push(SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`);
  } else {
    checks.push(impersonate('users', name));
  }
  for (const g of groups) checks.push(impersonate('groups', g));
  if (uid) {
    checks.push(impersonate('uids', uid, { apiGroup: 'authentication.k8s.io' }));
    asUser.uid = uid;
  }
  for (const [key, vs] of Object.entries(extra)) for (const v of vs) checks.push(impersonate('userextras', v, { apiGroup: 'authentication.k8s.io', subresource: key }));
  if (Object.keys(extra).length) asUser.extra = extra;
  for (const a of checks) authorizer.check(user, a);
  if (name !== ANONYMOUS && !asUser.groups.includes(AUTHENTICATED_GROUP)) asUser.groups.push(AUTHENTICATED_GROUP);
  asUser.groups = [...new Set(asUser.groups)];
  return asUser;
}

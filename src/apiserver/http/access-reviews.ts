// The create-only review APIs that ask the authorizer and the authenticator questions:
// authorization.k8s.io/v1 SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview,
// SelfSubjectRulesReview, and authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`).
// Nothing is stored: each answer is the request with its status filled in.
import { ApiError, errors } from '../../api/errors.js';
import type { StatusCause } from '../../api/types.js';
import type { PolicyRule } from '../../api/rbac.js';
import type { RequestAttributes, ResourceAttributes } from '../authorization/attributes.js';
import type { RequestAuthorizer } from '../authorization/authorizer.js';
import { nodeName, type UserInfo } from '../authorization/user.js';
import { GoSyntax, invalid, required } from '../registry/strategies/field-errors.js';

const AUTHORIZATION = 'authorization.k8s.io';
const AUTHENTICATION = 'authentication.k8s.io';

const KINDS: Record<string, { group: string; kind: string; namespaced?: boolean }> = {
  selfsubjectaccessreviews: { group: AUTHORIZATION, kind: 'SelfSubjectAccessReview' },
  subjectaccessreviews: { group: AUTHORIZATION, kind: 'SubjectAccessReview' },
  localsubjectaccessreviews: { group: AUTHORIZATION, kind: 'LocalSubjectAccessReview', namespaced: true },
  selfsubjectrulesreviews: { group: AUTHORIZATION, kind: 'SelfSubjectRulesReview' },
  selfsubjectreviews: { group: AUTHENTICATION, kind: 'SelfSubjectReview' },
};

/** How discovery lists them. */
export const REVIEW_RESOURCES: Record<string, object[]> = Object.fromEntries(
  [AUTHORIZATION, AUTHENTICATION].map((group) => [
    group,
    Object.entries(KINDS)
      .filter(([, k]) => k.group === group)
      .map(([name, k]) => ({ name, singularName: k.kind.toLowerCase(), namespaced: !!k.namespaced, kind: k.kind, verbs: ['create'] })),
  ]),
);

export interface ReviewRequest {
  resource: string;
  namespace?: string;
}

/** The review a path names, e.g. /apis/authorization.k8s.io/v1/namespaces/x/localsubjectaccessreviews. */
export function reviewRoute(path: string): ReviewRequest | undefined {
  const m = /^\/apis\/(authorization\.k8s\.io|authentication\.k8s\.io)\/v1\/(?:namespaces\/([^/]+)\/)?([a-z]+)$/.exec(path);
  const kind = m && KINDS[m[3]];
  if (!m || !kind || kind.group !== m[1] || !!kind.namespaced !== (m[2] !== undefined)) return undefined;
  return { resource: m[3], namespace: m[2] };
}

/** The kind a review's body must be. */
export function reviewKind(r: ReviewRequest): { apiVersion: string; kind: string } {
  const { group, kind } = KINDS[r.resource];
  return { apiVersion: `${group}/v1`, kind };
}

export function reviewAttributes(method: string, r: ReviewRequest): ResourceAttributes {
  return {
    resourceRequest: true,
    verb: method === 'POST' ? 'create' : method.toLowerCase(),
    apiGroup: KINDS[r.resource].group,
    resource: r.resource,
    ...(r.namespace ? { namespace: r.namespace } : {}),
  };
}

function attributesOf(spec: any): RequestAttributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      resourceRequest: true,
      verb: String(ra.verb ?? ''),
      apiGroup: String(ra.group ?? ''),
      resource: String(ra.resource ?? ''),
      ...(ra.subresource ? { subresource: String(ra.subresource) } : {}),
      ...(ra.namespace ? { namespace: String(ra.namespace) } : {}),
      ...(ra.name ? { name: String(ra.name) } : {}),
    };
  }
  const nra = spec.nonResourceAttributes;
  return { resourceRequest: false, verb: String(nra.verb ?? ''), path: String(nra.path ?? '') };
}

function checkSpec(kind: string, spec: any, subjectGiven: boolean): void {
  const causes: StatusCause[] = [];
  if (kind === 'LocalSubjectAccessReview') {
    if (!spec.resourceAttributes) causes.push(required('spec.resourceAttributes'));
    if (spec.nonResourceAttributes) causes.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
  } else {
    if (spec.resourceAttributes && spec.nonResourceAttributes) {
      causes.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
    }
    if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
      causes.push(invalid('spec.resourceAttributes', new GoSyntax('"null"'), 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
    }
  }
  if (subjectGiven && !spec.user && !spec.groups?.length) causes.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  if (causes.length) throw errors.invalid(kind, AUTHORIZATION, '', causes);
}

function userInfoOf(user: UserInfo): object {
  return {
    username: user.name,
    ...(user.uid ? { uid: user.uid } : {}),
    groups: user.groups,
    ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
  };
}

/** Rules as a SelfSubjectRulesReview lists them: resource rules, then non-resource ones. */
function splitRules(rules: PolicyRule[]): { resourceRules: object[]; nonResourceRules: object[] } {
  const resourceRules: object[] = [];
  const nonResourceRules: object[] = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    else resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) });
  }
  return { resourceRules, nonResourceRules };
}

/** The answered review for a created one. */
export function answerReview(r: ReviewRequest, body: unknown, user: UserInfo, authorizer: RequestAuthorizer): object {
  const { group, kind } = KINDS[r.resource];
  const review = body as { kind?: string; spec?: any } | null;
  if (!review || typeof review !== 'object' || Array.isArray(review) || (review.kind !== undefined && review.kind !== kind)) {
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${kind})`);
  }
  const head = { kind, apiVersion: `${group}/v1`, metadata: { creationTimestamp: null } };
  if (kind === 'SelfSubjectReview') return { ...head, status: { userInfo: userInfoOf(user) } };
  const spec = review.spec ?? {};
  if (typeof spec !== 'object') throw errors.badRequest('spec must be an object');
  if (kind === 'SelfSubjectRulesReview') {
    const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
    const rules = authorizer.rbac.rulesFor(user, namespace || undefined).map((g) => g.rule);
    const isNode = nodeName(user) !== undefined;
    return {
      ...head,
      spec,
      status: { ...splitRules(rules), incomplete: isNode, ...(isNode ? { evaluationError: 'node authorizer does not support user rule resolution' } : {}) },
    };
  }
  const subject: UserInfo =
    kind === 'SelfSubjectAccessReview'
      ? user
      : { name: String(spec.user ?? ''), groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [], ...(spec.uid ? { uid: String(spec.uid) } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
  checkSpec(kind, spec, kind !== 'SelfSubjectAccessReview');
  if (kind === 'LocalSubjectAccessReview' && spec.resourceAttributes.namespace !== r.namespace) {
    throw new ApiError('BadRequest', `spec.resourceAttributes.namespace must match namespace: ${r.namespace}`);
  }
  // A SubjectAccessReview asks about the subject as given: it is not made a member of system:authenticated.
  const decision = authorizer.authorize(subject, attributesOf(spec));
  return {
    ...head,
    ...(r.namespace ? { metadata: { namespace: r.namespace, creationTimestamp: null } } : {}),
    spec,
    status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
  };
}

// Query parameters as the Kubernetes API server decodes them (its parameter codec, then
// ValidateListOptions / ValidateDeleteOptions), so every client's spelling means what it means on
// a cluster: Python's client sends `watch=True`, Go's `watch=true`, curl users `watch=1`.
import type { StatusCause } from '../../api/types.js';
import { ApiError, errors } from '../../api/errors.js';
import { forbidden, invalid, notSupported } from '../registry/strategies/field-errors.js';

export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

export interface ListQuery {
  watch: boolean;
  allowWatchBookmarks: boolean;
  /** Absent, or what was asked: watch-list is on when true. */
  sendInitialEvents?: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  timeoutSeconds?: number;
  limit?: number;
  continue?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** The DeleteOptions that can travel in the query (a body sets the same fields). */
export interface DeleteQuery {
  propagationPolicy?: PropagationPolicy;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
}

/**
 * A boolean parameter: absent is false; `0` and `false` (any case) are false; any other value,
 * even an empty one (`?watch`), is true.
 */
export function queryBool(q: URLSearchParams, name: string): boolean {
  return queryOptionalBool(q, name) ?? false;
}

/** A `*bool` parameter: undefined when absent. */
export function queryOptionalBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** An integer parameter: absent or empty is unset; anything but a base-10 int64 is a 400 with Go's wording. */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return n;
}

function queryString(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null || v === '' ? undefined : v;
}

/** Kubernetes answers option errors as an Invalid `ListOptions.meta.k8s.io ""` (422). */
function invalidOptions(kind: string, causes: StatusCause[]): ApiError {
  return errors.invalid(kind, 'meta.k8s.io', '', causes);
}

const RV_MATCH = 'resourceVersionMatch';

/** List and watch parameters, decoded and validated; `watch` may also come from the path (`/watch/`). */
export function parseListQuery(q: URLSearchParams, watchPath = false): ListQuery {
  const opts: ListQuery = {
    watch: watchPath || queryBool(q, 'watch'),
    allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks'),
    sendInitialEvents: queryOptionalBool(q, 'sendInitialEvents'),
    resourceVersion: queryString(q, 'resourceVersion'),
    timeoutSeconds: queryInt(q, 'timeoutSeconds'),
    limit: queryInt(q, 'limit'),
    continue: queryString(q, 'continue'),
    labelSelector: queryString(q, 'labelSelector'),
    fieldSelector: queryString(q, 'fieldSelector'),
  };
  const match = queryString(q, RV_MATCH);
  const causes = opts.watch ? validateWatch(opts, match) : validateList(opts, match);
  if (causes.length) throw invalidOptions('ListOptions', causes);
  if (match) opts.resourceVersionMatch = match as ResourceVersionMatch;
  if (opts.resourceVersion !== undefined) parseResourceVersion(opts.resourceVersion);
  return opts;
}

function validateList(opts: ListQuery, match: string | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  if (match) {
    if (opts.resourceVersion === undefined) causes.push(forbidden(RV_MATCH, 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (opts.continue) causes.push(forbidden(RV_MATCH, 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') causes.push(notSupported(RV_MATCH, match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && opts.resourceVersion === '0') {
      causes.push(forbidden(RV_MATCH, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (opts.sendInitialEvents !== undefined) causes.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return causes;
}

function validateWatch(opts: ListQuery, match: string | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  if (opts.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    causes.push(forbidden(RV_MATCH, 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (opts.sendInitialEvents === undefined) {
      causes.push(forbidden(RV_MATCH, 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    }
    if (match !== 'NotOlderThan') causes.push(notSupported(RV_MATCH, match, ['NotOlderThan']));
    if (opts.continue) causes.push(forbidden(RV_MATCH, 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return causes;
}

/** A resourceVersion as a revision; kctl's are decimal integers, like etcd's. */
export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(Number(rv))) {
    throw errors.badRequest(`resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`);
  }
  return Number(rv);
}

const POLICIES: readonly PropagationPolicy[] = ['Foreground', 'Background', 'Orphan'];

/** DeleteOptions from the query and the body (whose fields win), validated as ValidateDeleteOptions does. */
export function parseDeleteOptions(q: URLSearchParams, body: Record<string, unknown>): DeleteQuery {
  const policy = body.propagationPolicy ?? queryString(q, 'propagationPolicy');
  const orphan = typeof body.orphanDependents === 'boolean' ? body.orphanDependents : queryOptionalBool(q, 'orphanDependents');
  const graceRaw = body.gracePeriodSeconds ?? queryInt(q, 'gracePeriodSeconds');
  const causes: StatusCause[] = [];
  if (orphan !== undefined && policy !== undefined && policy !== null) {
    causes.push(invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (policy !== undefined && policy !== null && !POLICIES.includes(policy as PropagationPolicy)) {
    causes.push(notSupported('propagationPolicy', policy, [...POLICIES, 'nil']));
  }
  if (graceRaw !== undefined && graceRaw !== null && !Number.isInteger(graceRaw)) {
    causes.push(invalid('gracePeriodSeconds', graceRaw, 'must be an integer'));
  }
  if (causes.length) throw invalidOptions('DeleteOptions', causes);
  const out: DeleteQuery = {};
  if (policy !== undefined && policy !== null) out.propagationPolicy = policy as PropagationPolicy;
  // orphanDependents is the deprecated spelling of the policy: true is Orphan, false is Background.
  else if (orphan !== undefined) out.propagationPolicy = orphan ? 'Orphan' : 'Background';
  if (orphan !== undefined) out.orphanDependents = orphan;
  if (graceRaw !== undefined && graceRaw !== null) out.gracePeriodSeconds = graceRaw as number;
  return out;
}

// Kubernetes Status errors. The daemon throws ApiError and answers with its Status; the HTTP client
// turns a Status it receives back into the same ApiError, so callers test `reason` on both sides.
import type { Status, StatusCause } from './types.js';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'Gone'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | 'Expired';

const CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  Gone: 410,
  TooManyRequests: 429,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
  Expired: 410,
};

export interface ErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details?: ErrorDetails,
    readonly code: number = CODES[reason],
  ) {
    super(message);
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }

  static fromStatus(status: Partial<Status>, httpCode: number): ApiError {
    const reason = (status.reason as StatusReason) || reasonForCode(httpCode);
    return new ApiError(reason, status.message || `the server responded with status ${httpCode}`, status.details, status.code || httpCode);
  }
}

function reasonForCode(code: number): StatusReason {
  const found = (Object.keys(CODES) as StatusReason[]).find((r) => CODES[r] === code);
  return found || 'InternalError';
}

/** `deployments.apps "django"` as Kubernetes names an object in messages. */
function describeTarget(kindPlural: string, group: string, name: string): string {
  return `${group ? `${kindPlural}.${group}` : kindPlural} "${name}"`;
}

export const errors = {
  notFound: (plural: string, group: string, name: string) =>
    new ApiError('NotFound', `${describeTarget(plural, group, name)} not found`, { name, group: group || undefined, kind: plural }),
  alreadyExists: (plural: string, group: string, name: string) =>
    new ApiError('AlreadyExists', `${describeTarget(plural, group, name)} already exists`, { name, group: group || undefined, kind: plural }),
  conflict: (plural: string, group: string, name: string, why: string) =>
    new ApiError('Conflict', `Operation cannot be fulfilled on ${describeTarget(plural, group, name)}: ${why}`, {
      name,
      group: group || undefined,
      kind: plural,
    }),
  /** `Deployment.apps "django" is invalid: spec.replicas: Invalid value: ...` */
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) => {
    const what = `${group ? `${kind}.${group}` : kind} "${name}"`;
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError('Invalid', `${what} is invalid: ${text}`, { name, group: group || undefined, kind, causes });
  },
  badRequest: (message: string) => new ApiError('BadRequest', message),
  gone: (message: string) => new ApiError('Expired', message),
};

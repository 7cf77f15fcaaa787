// The kubelet's /containerLogs query (PodLogOptions as the API server forwards them), checked as
// Kubernetes' ValidatePodLogOptions checks them, and turned into the engine's log options.
import type { LogsOptions } from '../docker/docker-client.js';

export interface LogRequest {
  previous: boolean;
  /** Output stops after this many bytes. */
  limitBytes?: number;
  docker: LogsOptions;
}

export class LogRequestError extends Error {}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

function integer(q: URLSearchParams, name: string, min: number, rule: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!/^-?\d+$/.test(v)) throw new LogRequestError(`${name}: Invalid value: "${v}": must be an integer`);
  if (n < min) throw new LogRequestError(`${name}: Invalid value: ${n}: ${rule}`);
  return n;
}

export function parseLogRequest(q: URLSearchParams, now: Date): LogRequest {
  const tail = integer(q, 'tailLines', 0, 'must be greater than or equal to 0');
  const limitBytes = integer(q, 'limitBytes', 1, 'must be greater than 0');
  const sinceSeconds = integer(q, 'sinceSeconds', 1, 'must be greater than 0');
  const sinceTimeText = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTimeText) throw new LogRequestError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  let since: Date | undefined;
  if (sinceSeconds !== undefined) since = new Date(now.getTime() - sinceSeconds * 1000);
  if (sinceTimeText) {
    since = new Date(sinceTimeText);
    if (Number.isNaN(since.getTime()) || !/^\d{4}-\d\d-\d\dT/.test(sinceTimeText)) {
      throw new LogRequestError(`sinceTime: Invalid value: "${sinceTimeText}": must be an RFC 3339 time`);
    }
  }
  const docker: LogsOptions = { follow: flag(q, 'follow'), timestamps: flag(q, 'timestamps') };
  if (tail !== undefined) docker.tail = tail;
  if (since) docker.since = since;
  return { previous: flag(q, 'previous'), docker, ...(limitBytes !== undefined ? { limitBytes } : {}) };
}

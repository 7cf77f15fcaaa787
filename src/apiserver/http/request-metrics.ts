// Counts and times every request as Kubernetes' apiserver_request_* metrics do: the verb reported
// in Kubernetes' spelling (LIST, WATCH, APPLY, CONNECT...), the resource's group, version and
// scope, the response code; watches are also counted while they last.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAttributes } from '../authorization/attributes.js';
import { longRunningRequests, requestDuration, requestTotal, type RequestLabels } from '../metrics/apiserver-metrics.js';

const REPORTED_VERBS: Record<string, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};
const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'log']);

/** The labels of a request, from what it asked (its authorization attributes) and the resource's version. */
export function requestLabels(req: Pick<IncomingMessage, 'method' | 'headers'>, query: URLSearchParams, a: RequestAttributes, version: string): RequestLabels {
  const dryRun = query.getAll('dryRun').join(',');
  if (!a.resourceRequest) {
    return { verb: (req.method ?? 'GET').toUpperCase(), dry_run: dryRun, group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver' };
  }
  const apply = a.verb === 'patch' && (req.headers['content-type'] ?? '').startsWith('application/apply-patch');
  const connect = a.subresource && CONNECT_SUBRESOURCES.has(a.subresource) && a.verb !== 'list';
  return {
    verb: apply ? 'APPLY' : connect ? 'CONNECT' : (REPORTED_VERBS[a.verb] ?? a.verb.toUpperCase()),
    dry_run: dryRun,
    group: a.apiGroup,
    version,
    resource: a.resource,
    subresource: a.subresource ?? '',
    scope: a.name ? 'resource' : a.namespace ? 'namespace' : 'cluster',
    component: 'apiserver',
  };
}

/** Records the request when its response ends; labels are given as soon as routing knows them. */
export class RequestMetrics {
  private readonly labels = new WeakMap<IncomingMessage, RequestLabels>();

  observe(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const labels = this.labels.get(req) ?? requestLabels(req, new URLSearchParams(), { resourceRequest: false, verb: 'get', path: '' }, '');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requestTotal.inc({ ...labels, code: String(res.statusCode) });
      requestDuration.observe(labels, seconds);
      if (labels.verb === 'WATCH') longRunningRequests.dec(longRunningLabels(labels));
    });
  }

  label(req: IncomingMessage, labels: RequestLabels): void {
    this.labels.set(req, labels);
    if (labels.verb === 'WATCH') longRunningRequests.inc(longRunningLabels(labels));
  }
}

function longRunningLabels(l: RequestLabels) {
  return { verb: l.verb, group: l.group, version: l.version, resource: l.resource, subresource: l.subresource, scope: l.scope, component: l.component };
}

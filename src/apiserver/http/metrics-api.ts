// metrics.k8s.io/v1beta1, the resource metrics API kubectl top and autoscalers read: NodeMetrics
// and PodMetrics, made on each request from the collector's figures in memory, for the nodes and
// pods the caches hold (labels, namespaces and selectors as on those objects). Only get and list,
// as metrics-server serves them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.js';
import type { Informer } from '../../api/informer.js';
import { fieldGetterFor, fieldSelectorMatcher } from '../../api/field-selector.js';
import { formatGoDuration } from '../../api/go-duration.js';
import { parseLabelSelector } from '../../api/label-selector.js';
import { Quantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/types.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { ResourceAttributes } from '../authorization/attributes.js';
import type { UsageStore } from '../metrics/usage-store.js';
import { negotiate } from './negotiation.js';
import { sendObject } from './respond.js';
import { queryBool } from './query-options.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** The resources discovery lists for the group. */
export const METRICS_RESOURCES = [
  { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
  { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
];

export interface MetricsRoute {
  resource: 'nodes' | 'pods';
  namespace?: string;
  name?: string;
}

/** A path under /apis/metrics.k8s.io/v1beta1 naming nodes or pods; undefined for any other path. */
export function parseMetricsRoute(path: string): MetricsRoute | undefined {
  const prefix = `/apis/${API_VERSION}/`;
  if (!path.startsWith(prefix)) return undefined;
  let parts: string[];
  try {
    parts = path.slice(prefix.length).split('/').map(decodeURIComponent);
  } catch {
    throw errors.badRequest(`malformed escape in the path ${path}`);
  }
  if (parts[0] === 'nodes' && parts.length <= 2) return { resource: 'nodes', name: parts[1] };
  if (parts[0] === 'pods' && parts.length === 1) return { resource: 'pods' };
  if (parts[0] === 'namespaces' && parts[2] === 'pods' && parts.length <= 4 && parts[1]) return { resource: 'pods', namespace: parts[1], name: parts[3] };
  return undefined;
}

export function metricsAttributes(method: string, route: MetricsRoute, query: URLSearchParams): ResourceAttributes {
  const read = method === 'GET' || method === 'HEAD';
  const verb = !read ? method.toLowerCase() : queryBool(query, 'watch') ? 'watch' : route.name ? 'get' : 'list';
  return { resourceRequest: true, verb, apiGroup: METRICS_GROUP, resource: route.resource, namespace: route.namespace, name: route.name };
}

const cpu = (nanocores: number) => Quantity.ofNanos(nanocores).toString();
const memory = (bytes: number) => Quantity.of(Math.round(bytes), 'BinarySI').toString();

export class MetricsApi {
  constructor(
    private readonly usage: UsageStore,
    private readonly nodes: Informer,
    private readonly pods: Informer,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, route: MetricsRoute, query: URLSearchParams): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    if (queryBool(query, 'watch')) throw new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const { format } = negotiate(req, query);
    const now = rfc3339(new Date());
    if (route.resource === 'nodes') {
      if (route.name) {
        const node = this.nodes.get(route.name);
        const item = node && this.nodeMetrics(node, now);
        if (!item) throw errors.notFound('nodemetrics', METRICS_GROUP, route.name);
        return sendObject(res, format, 200, { kind: 'NodeMetrics', apiVersion: API_VERSION, ...item });
      }
      const items = this.select(this.nodes.list(), 'Node', query).flatMap((n) => this.nodeMetrics(n, now) ?? []);
      return sendObject(res, format, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
    }
    if (route.name) {
      const pod = this.pods.get(`${route.namespace}/${route.name}`);
      const item = pod && this.podMetrics(pod, now);
      if (!item) throw errors.notFound('podmetrics', METRICS_GROUP, `${route.namespace}/${route.name}`);
      return sendObject(res, format, 200, { kind: 'PodMetrics', apiVersion: API_VERSION, ...item });
    }
    const items = this.select(this.pods.list(route.namespace), 'Pod', query).flatMap((p) => this.podMetrics(p, now) ?? []);
    return sendObject(res, format, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
  }

  private select(objects: KubeObject[], kind: string, query: URLSearchParams): KubeObject[] {
    let labels;
    let fields;
    try {
      labels = parseLabelSelector(query.get('labelSelector') ?? '');
      fields = fieldSelectorMatcher(query.get('fieldSelector') ?? '', fieldGetterFor(kind));
    } catch (err) {
      throw errors.badRequest((err as Error).message);
    }
    return objects.filter((o) => labels.matches(o.metadata.labels ?? {}) && fields(o)).sort((a, b) => objectOrder(a).localeCompare(objectOrder(b)));
  }

  private nodeMetrics(node: KubeObject, now: string): object | undefined {
    const u = this.usage.node(node.metadata.name!);
    if (!u) return undefined;
    return {
      metadata: { name: node.metadata.name, creationTimestamp: now, ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
      timestamp: rfc3339(new Date(u.timestamp)),
      window: formatGoDuration(u.windowMs * 1e6),
      usage: { cpu: cpu(u.cpuNanocores), memory: memory(u.memoryBytes) },
    };
  }

  private podMetrics(pod: KubeObject, now: string): object | undefined {
    const nodeName = pod.spec?.nodeName as string | undefined;
    const u = nodeName ? this.usage.pod(nodeName, pod.metadata.namespace!, pod.metadata.name!) : undefined;
    if (!u) return undefined;
    return {
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: now, ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
      timestamp: rfc3339(new Date(u.timestamp)),
      window: formatGoDuration(u.windowMs * 1e6),
      containers: u.containers.map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpuNanocores), memory: memory(c.memoryBytes) } })),
    };
  }
}

function objectOrder(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

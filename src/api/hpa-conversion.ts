// HorizontalPodAutoscaler between autoscaling/v1 and autoscaling/v2, as Kubernetes converts them
// (pkg/apis/autoscaling/v1/conversion.go): objects are stored in v2 and served in v1 too. v1 has one
// field for what v2 says with metrics, targetCPUUtilizationPercentage (a cpu Resource metric with a
// Utilization target) and currentCPUUtilizationPercentage (its current utilization); what v1 cannot
// say travels in annotations, so v2 -> v1 -> v2 loses nothing:
//   autoscaling.alpha.kubernetes.io/metrics          the other metrics, in v1's MetricSpec shape
//   autoscaling.alpha.kubernetes.io/current-metrics  every current metric, in v1's MetricStatus shape
//   autoscaling.alpha.kubernetes.io/conditions       status.conditions
//   autoscaling.alpha.kubernetes.io/behavior         spec.behavior (v2's shape)
// A v1 object without a cpu target and without other metrics gets v1's implicit 80% (Kubernetes
// applies it in this conversion, the only place that sees every metric).
import type { KubeObject } from './types.js';

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ANNOTATIONS = [METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

const DEFAULT_CPU_UTILIZATION = 80;

type Json = Record<string, any>;

function isObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Drops the members that are undefined, as Go's omitempty does for nil pointers. */
function compact<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// The member of a metric that carries its source, by type (the same names in v1 and v2).
const SOURCE: Record<string, string> = { Resource: 'resource', ContainerResource: 'containerResource', Pods: 'pods', Object: 'object', External: 'external' };

/** A metric of no known type, or without its source (an HPA's status before any figure), as it is. */
function convertible(m: Json): boolean {
  return isObject(m) && SOURCE[m.type] !== undefined && isObject(m[SOURCE[m.type]]);
}

function isCpuUtilization(m: Json): boolean {
  return m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';
}

/**
 * A v2 metric as v1 says it: the figures of its `target` (spec) or `current` (status) flattened into
 * v1's fields named after that side (targetAverageValue, currentAverageValue, ...).
 */
function metricToV1(m: Json, side: 'target' | 'current'): Json {
  if (!convertible(m)) return m;
  const f = (s: Json | undefined) => s?.[side] ?? {};
  const named = (name: string) => `${side}${name}`;
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: compact({ name: m.resource?.name, [named('AverageUtilization')]: f(m.resource).averageUtilization, [named('AverageValue')]: f(m.resource).averageValue }) };
    case 'ContainerResource':
      return { type: m.type, containerResource: compact({ name: m.containerResource?.name, container: m.containerResource?.container, [named('AverageUtilization')]: f(m.containerResource).averageUtilization, [named('AverageValue')]: f(m.containerResource).averageValue }) };
    case 'Pods':
      return { type: m.type, pods: compact({ metricName: m.pods?.metric?.name, selector: m.pods?.metric?.selector, [named('AverageValue')]: f(m.pods).averageValue }) };
    case 'Object':
      return { type: m.type, object: compact({ target: m.object?.describedObject, metricName: m.object?.metric?.name, selector: m.object?.metric?.selector, [named('Value')]: f(m.object).value, averageValue: f(m.object).averageValue }) };
    case 'External':
      return { type: m.type, external: compact({ metricName: m.external?.metric?.name, metricSelector: m.external?.metric?.selector, [named('Value')]: f(m.external).value, [named('AverageValue')]: f(m.external).averageValue }) };
  }
  return m;
}

function target(value: string | undefined, averageValue: string | undefined, averageUtilization: number | undefined): Json {
  const type = averageUtilization !== undefined ? 'Utilization' : averageValue !== undefined ? 'AverageValue' : 'Value';
  return compact({ type, value, averageValue, averageUtilization });
}

function metricSpecToV2(m: Json): Json {
  if (!convertible(m)) return m;
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: { name: m.resource?.name, target: target(undefined, m.resource?.targetAverageValue, m.resource?.targetAverageUtilization) } };
    case 'ContainerResource': {
      const s = m.containerResource ?? {};
      return { type: m.type, containerResource: { name: s.name, container: s.container, target: target(undefined, s.targetAverageValue, s.targetAverageUtilization) } };
    }
    case 'Pods':
      return { type: m.type, pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), target: { type: 'AverageValue', averageValue: m.pods?.targetAverageValue } } };
    case 'Object': {
      const s = m.object ?? {};
      return { type: m.type, object: { describedObject: s.target, metric: compact({ name: s.metricName, selector: s.selector }), target: target(s.targetValue, s.averageValue, undefined) } };
    }
    case 'External': {
      const s = m.external ?? {};
      return { type: m.type, external: { metric: compact({ name: s.metricName, selector: s.metricSelector }), target: target(s.targetValue, s.targetAverageValue, undefined) } };
    }
  }
  return m;
}

function metricStatusToV2(m: Json): Json {
  if (!convertible(m)) return m;
  switch (m.type) {
    case 'Resource':
      return { type: m.type, resource: { name: m.resource?.name, current: compact({ averageValue: m.resource?.currentAverageValue, averageUtilization: m.resource?.currentAverageUtilization }) } };
    case 'ContainerResource': {
      const s = m.containerResource ?? {};
      return { type: m.type, containerResource: { name: s.name, container: s.container, current: compact({ averageValue: s.currentAverageValue, averageUtilization: s.currentAverageUtilization }) } };
    }
    case 'Pods':
      return { type: m.type, pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), current: compact({ averageValue: m.pods?.currentAverageValue }) } };
    case 'Object': {
      const s = m.object ?? {};
      return { type: m.type, object: { describedObject: s.target, metric: compact({ name: s.metricName, selector: s.selector }), current: compact({ value: s.currentValue, averageValue: s.averageValue }) } };
    }
    case 'External': {
      const s = m.external ?? {};
      return { type: m.type, external: { metric: compact({ name: s.metricName, selector: s.metricSelector }), current: compact({ value: s.currentValue, averageValue: s.currentAverageValue }) } };
    }
  }
  return m;
}

/** Annotation JSON that is not a list is ignored, as a v1 client may have written anything there. */
function parseList(text: string | undefined): Json[] | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseObject(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The stored (autoscaling/v2) object as autoscaling/v1 serves it. */
export function hpaToV1(hpa: KubeObject): KubeObject {
  if (!isObject(hpa.metadata) || !isObject(hpa.spec ?? {}) || !isObject(hpa.status ?? {})) return { ...hpa, apiVersion: 'autoscaling/v1' };
  const spec: Json = hpa.spec ?? {};
  const status: Json | undefined = hpa.status;
  const metrics: Json[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => !isCpuUtilization(m));
  const annotations: Record<string, string> = { ...(hpa.metadata.annotations ?? {}) };
  if (others.length > 0) annotations[METRICS_ANNOTATION] = JSON.stringify(others.map((m) => metricToV1(m, 'target')));
  if (spec.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  const current: Json[] = status?.currentMetrics ?? [];
  if (current.length > 0) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map((m) => metricToV1(m, 'current')));
  if (status?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  const currentCpu = current.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined);
  const metadata = { ...hpa.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return compact({
    ...hpa,
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization,
    }),
    status: status
      ? compact({
          observedGeneration: status.observedGeneration,
          lastScaleTime: status.lastScaleTime,
          currentReplicas: status.currentReplicas ?? 0,
          desiredReplicas: status.desiredReplicas ?? 0,
          currentCPUUtilizationPercentage: currentCpu?.resource?.current?.averageUtilization,
        })
      : undefined,
  });
}

/** An autoscaling/v1 object as autoscaling/v2 (the stored version) says it; the annotations are consumed. */
export function hpaToV2(hpa: KubeObject): KubeObject {
  // What is not even shaped like an object is left for schema validation to refuse.
  if (!isObject(hpa.metadata) || !isObject(hpa.spec ?? {}) || !isObject(hpa.status ?? {})) return { ...hpa, apiVersion: 'autoscaling/v2' };
  const spec: Json = hpa.spec ?? {};
  const status: Json | undefined = hpa.status;
  const annotations: Record<string, string> = { ...(hpa.metadata.annotations ?? {}) };
  const others = parseList(annotations[METRICS_ANNOTATION]);
  const current = parseList(annotations[CURRENT_METRICS_ANNOTATION]);
  const conditions = parseList(annotations[CONDITIONS_ANNOTATION]);
  const behavior = parseObject(annotations[BEHAVIOR_ANNOTATION]);
  for (const key of ANNOTATIONS) delete annotations[key];
  const metrics: Json[] = [];
  if (spec.targetCPUUtilizationPercentage != null) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  metrics.push(...(others ?? []).map(metricSpecToV2));
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });
  let currentMetrics: Json[] | undefined = current?.map(metricStatusToV2);
  if (!currentMetrics && status?.currentCPUUtilizationPercentage !== undefined) {
    currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  const metadata = { ...hpa.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return compact({
    ...hpa,
    apiVersion: 'autoscaling/v2',
    metadata,
    spec: compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior }),
    status: status
      ? compact({
          observedGeneration: status.observedGeneration,
          lastScaleTime: status.lastScaleTime,
          currentReplicas: status.currentReplicas,
          desiredReplicas: status.desiredReplicas,
          currentMetrics,
          conditions,
        })
      : undefined,
  });
}

const V1_FIELDS = {
  spec: ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage'],
  status: ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas', 'currentCPUUtilizationPercentage'],
};

/** The spec and status members an autoscaling/v1 object has that v1 does not (`spec.metrics`), which a strict decoder refuses. */
export function hpaV1UnknownFields(hpa: unknown): string[] {
  const o = hpa as Record<string, unknown> | null;
  const unknown: string[] = [];
  for (const part of ['spec', 'status'] as const) {
    const members = o?.[part];
    if (!members || typeof members !== 'object' || Array.isArray(members)) continue;
    for (const key of Object.keys(members)) if (!V1_FIELDS[part].includes(key)) unknown.push(`${part}.${key}`);
  }
  return unknown;
}

// HorizontalPodAutoscaler columns (autoscaling/v2, and v1 converted to it): REFERENCE TARGETS MINPODS MAXPODS REPLICAS.
import { hpaToV2 } from '../../hpa-conversion.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, type ColumnPrinter } from './common.js';

const MAX_METRICS_SHOWN = 2;

/** A metric target, or what was measured against it. */
interface MetricAmount {
  averageUtilization?: number;
  averageValue?: string;
  value?: string;
}

type Source = { name?: string; target?: MetricAmount; current?: MetricAmount };

interface Metric {
  type: string;
  resource?: Source;
  containerResource?: Source;
  pods?: Source;
  object?: Source;
  external?: Source;
}

export const horizontalPodAutoscalerColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column(
      'Reference',
      'string',
      'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    ),
    column(
      'Targets',
      'string',
      'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.',
    ),
    column(
      'MinPods',
      'string',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.',
    ),
    column(
      'MaxPods',
      'string',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.',
    ),
    column(
      'Replicas',
      'string',
      'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
    ),
    AGE_COLUMN,
  ],
  cells(served, now) {
    // Printed from what v2 says, whichever version was asked for (v1 has the cpu target only).
    const hpa = served.apiVersion === 'autoscaling/v1' ? hpaToV2(served) : served;
    const spec = hpa.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    return [
      hpa.metadata.name,
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatMetrics(spec.metrics ?? [], hpa.status?.currentMetrics ?? []),
      spec.minReplicas === undefined || spec.minReplicas === null ? '<unset>' : String(spec.minReplicas),
      spec.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      age(hpa, now),
    ];
  },
};

/** `cpu: 40%/80%, memory: 100Mi/200Mi + 1 more...`: current over target for each metric, by position. */
function formatMetrics(specs: Metric[], statuses: Metric[]): string {
  if (specs.length === 0) return '<none>';
  const texts = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const shown = texts.slice(0, MAX_METRICS_SHOWN).join(', ');
  return texts.length > MAX_METRICS_SHOWN ? `${shown} + ${texts.length - MAX_METRICS_SHOWN} more...` : shown;
}

const UNKNOWN = '<unknown>';

function formatMetric(spec: Metric, status: Metric | undefined): string {
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = spec[key]?.target ?? {};
      const observed = status?.[key];
      if (target.averageValue !== undefined) return `${observed?.current?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
      return `${observed ? quantity(observed.current?.value) : UNKNOWN}/${quantity(target.value)}`;
    }
    case 'Pods': {
      const observed = status?.pods;
      return `${observed ? quantity(observed.current?.averageValue) : UNKNOWN}/${quantity(spec.pods?.target?.averageValue)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const source = spec[key] ?? {};
      const target = source.target ?? {};
      const observed = status?.[key];
      if (target.averageValue !== undefined) {
        return `${source.name}: ${observed ? quantity(observed.current?.averageValue) : UNKNOWN}/${target.averageValue}`;
      }
      const utilization = observed?.current?.averageUtilization;
      const current = utilization !== undefined ? `${utilization}%` : UNKNOWN;
      const wanted = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
      return `${source.name}: ${current}/${wanted}`;
    }
    default:
      return '<unknown type>';
  }
}

/** An optional quantity as Go prints a nil *resource.Quantity. */
function quantity(value: string | undefined): string {
  return value ?? '<nil>';
}

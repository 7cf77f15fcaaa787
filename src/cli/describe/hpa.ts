import type { HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { canonicalQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { formatTime } from './format.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbed, writeAnnotations, writeLabels, type PrefixWriter } from './writer.js';

const UNKNOWN = '<unknown>';

// A missing quantity prints as Go prints a nil *Quantity.
const quantity = (q: string | number | undefined) => (q === undefined || q === null ? '<nil>' : canonicalQuantity(q));
const quoted = (s: string) => JSON.stringify(s);

export const horizontalPodAutoscalerDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    const hpa = obj as unknown as HorizontalPodAutoscaler;
    const spec = hpa.spec;
    const status = hpa.status;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `CreationTimestamp:\t${formatTime(obj.metadata.creationTimestamp)}\n`);
      w.write(LEVEL_0, `Reference:\t${spec?.scaleTargetRef.kind}/${spec?.scaleTargetRef.name}\n`);
      w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
      (spec?.metrics ?? []).forEach((metric, i) => writeMetric(w, metric, status?.currentMetrics?.[i]));
      const min = spec?.minReplicas;
      w.write(LEVEL_0, `Min replicas:\t${min === undefined || min === null ? '<unset>' : min}\n`);
      w.write(LEVEL_0, `Max replicas:\t${spec?.maxReplicas ?? 0}\n`);
      if (spec?.behavior) {
        w.write(LEVEL_0, 'Behavior:\n');
        writeScalingRules(w, 'Scale Up', spec.behavior.scaleUp);
        writeScalingRules(w, 'Scale Down', spec.behavior.scaleDown);
      }
      w.write(LEVEL_0, `${spec?.scaleTargetRef.kind} pods:\t${status?.currentReplicas ?? 0} current / ${status?.desiredReplicas ?? 0} desired\n`);
      if (status?.conditions?.length) {
        w.write(LEVEL_0, 'Conditions:\n');
        w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
        w.write(LEVEL_1, '----\t------\t------\t-------\n');
        for (const c of status.conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
      }
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

/** One `current / target` line; `current` is the status metric at the same index, if any. */
function writeMetric(w: PrefixWriter, metric: MetricSpec, current: MetricStatus | undefined): void {
  switch (metric.type) {
    case 'External': {
      const ext = metric.external!;
      if (ext.target.averageValue !== undefined) {
        const now = current?.external?.current.averageValue !== undefined ? quantity(current.external.current.averageValue) : UNKNOWN;
        w.write(LEVEL_1, `${quoted(ext.metric.name)} (target average value):\t${now} / ${quantity(ext.target.averageValue)}\n`);
      } else {
        const now = current?.external ? quantity(current.external.current.value) : UNKNOWN;
        w.write(LEVEL_1, `${quoted(ext.metric.name)} (target value):\t${now} / ${quantity(ext.target.value)}\n`);
      }
      return;
    }
    case 'Pods': {
      const pods = metric.pods!;
      const now = current?.pods ? quantity(current.pods.current.averageValue) : UNKNOWN;
      w.write(LEVEL_1, `${quoted(pods.metric.name)} on pods:\t${now} / ${quantity(pods.target.averageValue)}\n`);
      return;
    }
    case 'Object': {
      const o = metric.object!;
      w.write(LEVEL_1, `${quoted(o.metric.name)} on ${o.describedObject.kind}/${o.describedObject.name} `);
      if (o.target.type === 'AverageValue') {
        const now = current?.object ? quantity(current.object.current.averageValue) : UNKNOWN;
        w.write(LEVEL_0, `(target average value):\t${now} / ${quantity(o.target.averageValue)}\n`);
      } else {
        const now = current?.object ? quantity(current.object.current.value) : UNKNOWN;
        w.write(LEVEL_0, `(target value):\t${now} / ${quantity(o.target.value)}\n`);
      }
      return;
    }
    case 'Resource':
    case 'ContainerResource': {
      const isContainer = metric.type === 'ContainerResource';
      const source = isContainer ? metric.containerResource! : metric.resource!;
      const status = isContainer ? current?.containerResource : current?.resource;
      const container = isContainer ? ` of container "${metric.containerResource!.container}"` : '';
      w.write(LEVEL_1, `resource ${source.name}${container} on pods`);
      if (source.target.averageValue !== undefined) {
        const now = status ? quantity(status.current.averageValue) : UNKNOWN;
        w.write(LEVEL_0, `:\t${now} / ${quantity(source.target.averageValue)}\n`);
      } else {
        const utilization = status?.current.averageUtilization;
        const now = utilization !== undefined ? `${utilization}% (${quantity(status!.current.averageValue)})` : UNKNOWN;
        const target = source.target.averageUtilization !== undefined ? `${source.target.averageUtilization}%` : '<auto>';
        w.write(LEVEL_1, `(as a percentage of request):\t${now} / ${target}\n`);
      }
      return;
    }
    default:
      w.write(LEVEL_1, `<unknown metric type ${quoted(metric.type)}>\n`);
  }
}

function writeScalingRules(w: PrefixWriter, direction: string, rules: HPAScalingRules | undefined): void {
  if (!rules) return;
  w.write(LEVEL_1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(LEVEL_2, 'Policies:\n');
    for (const p of rules.policies) w.write(LEVEL_3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

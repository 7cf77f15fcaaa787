// HorizontalPodAutoscalers (autoscaling/v2): at least one replica, 80% average CPU when no metric
// is given, the default scaling behavior filled in wherever a behavior is given, and
// ValidateHorizontalPodAutoscaler's rules on replicas, target and metrics.
import { Quantity } from '../../../api/quantity.js';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import type { Strategy } from './strategy.js';
import { forbidden, invalid, required } from './field-errors.js';

const DEFAULT_CPU_UTILIZATION = 80;

const defaultScaleUp = () => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
// No stabilization window: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
const defaultScaleDown = () => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

// Which member of a metric carries the source for each metric type.
const SOURCE_FIELDS: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

function applyDefaults(hpa: KubeObject): void {
  const spec = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = { ...defaultScaleUp(), ...withoutNulls(spec.behavior.scaleUp) };
    spec.behavior.scaleDown = { ...defaultScaleDown(), ...withoutNulls(spec.behavior.scaleDown) };
  }
}

/** Only the rules' set fields override the defaults. */
function withoutNulls(rules: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rules ?? {}).filter(([, v]) => v != null));
}

function validateTarget(target: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!target?.type) causes.push(required(`${field}.type`, 'must specify a metric target type'));
  else if (!['Utilization', 'Value', 'AverageValue'].includes(target.type)) {
    causes.push(invalid(`${field}.type`, target.type, 'must be either Utilization, Value, or AverageValue'));
  }
  for (const quantity of ['value', 'averageValue'] as const) {
    const amount = target?.[quantity];
    if (amount == null) continue;
    const parsed = Quantity.parse(amount);
    if (!parsed || parsed.cmp(Quantity.ZERO) <= 0) causes.push(invalid(`${field}.${quantity}`, amount, 'must be positive'));
  }
  if (target?.averageUtilization != null && target.averageUtilization < 1) {
    causes.push(invalid(`${field}.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
  }
  return causes;
}

function validateMetric(metric: any, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const expected = SOURCE_FIELDS[metric.type];
  if (expected && metric[expected] == null) causes.push(required(`${field}.${expected}`, 'must populate information for the given metric source'));
  for (const other of Object.values(SOURCE_FIELDS)) {
    if (other !== expected && metric[other] != null) causes.push(forbidden(`${field}.${other}`, 'must populate the given metric source only'));
  }
  const source = expected && metric[expected];
  if (!source) return causes;
  if (metric.type === 'Resource' || metric.type === 'ContainerResource') {
    if (!source.name) causes.push(required(`${field}.${expected}.name`, 'must specify a resource name'));
    const target = source.target;
    if (target?.averageUtilization == null && target?.averageValue == null) {
      causes.push(required(`${field}.${expected}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
    }
  }
  causes.push(...validateTarget(source.target, `${field}.${expected}.target`));
  return causes;
}

function validate(hpa: KubeObject): StatusCause[] {
  const spec = hpa.spec ?? {};
  const causes: StatusCause[] = [];
  if (spec.minReplicas != null && spec.minReplicas < 1) causes.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (spec.maxReplicas < 1) causes.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than 0'));
  if (spec.minReplicas != null && spec.maxReplicas < spec.minReplicas) {
    causes.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  for (const part of ['kind', 'name'] as const) if (!spec.scaleTargetRef?.[part]) causes.push(required(`spec.scaleTargetRef.${part}`));
  (spec.metrics ?? []).forEach((metric: any, i: number) => causes.push(...validateMetric(metric, `spec.metrics[${i}]`)));
  return causes;
}

export const horizontalPodAutoscalerStrategy: Strategy = {
  applyDefaults,
  validate,
  initialStatus: () => ({ desiredReplicas: 0 }),
};

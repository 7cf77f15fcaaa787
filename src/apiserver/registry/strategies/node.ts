// Nodes: allocatable defaults to capacity, and taints must be well formed and unique.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isQualifiedName, isValidLabelValue } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { duplicate, invalidEach } from './field-errors.js';

function applyDefaults(node: KubeObject): void {
  const status = node.status;
  if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

function validate(node: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((taint: any, i: number) => {
    const at = `spec.taints[${i}]`;
    causes.push(...invalidEach(`${at}.key`, taint.key, isQualifiedName(taint.key)));
    if (taint.value) causes.push(...invalidEach(`${at}.value`, taint.value, isValidLabelValue(taint.value)));
    const identity = `${taint.key}:${taint.effect}`;
    if (seen.has(identity)) causes.push(duplicate(at, taint, 'taints must be unique by key and effect pair'));
    seen.add(identity);
  });
  return causes;
}

export const nodeStrategy: Strategy = { applyDefaults, validate };

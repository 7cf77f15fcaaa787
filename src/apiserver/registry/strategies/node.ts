// Nodes: allocatable defaults to capacity, and taints must be well formed and unique.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isQualifiedName, isValidLabelValue } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { duplicate, forbidden, invalid, invalidEach } from './field-errors.js';
import { isIPv4 } from 'node:net';

function isIPv4Cidr(cidr: unknown): boolean {
  if (typeof cidr !== 'string') return false;
  const [ip, bits] = cidr.split('/');
  return isIPv4(ip) && /^\d+$/.test(bits ?? '') && Number(bits) <= 32;
}

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
  // The pod range is given once (by the node IPAM controller) and never moved: the machine's pods use it.
  const podCIDRs: unknown[] = node.spec?.podCIDRs ?? [];
  podCIDRs.forEach((cidr, i) => {
    if (!isIPv4Cidr(cidr)) causes.push(invalid(`spec.podCIDRs[${i}]`, cidr, 'must be a valid CIDR'));
  });
  if (node.spec?.podCIDR !== undefined && node.spec.podCIDR !== '' && !isIPv4Cidr(node.spec.podCIDR)) causes.push(invalid('spec.podCIDR', node.spec.podCIDR, 'must be a valid CIDR'));
  if (podCIDRs.length > 0 && node.spec?.podCIDR && podCIDRs[0] !== node.spec.podCIDR) causes.push(invalid('spec.podCIDRs', podCIDRs, 'must have the podCIDR as its first entry'));
  return causes;
}

function validateUpdate(node: KubeObject, old: KubeObject): StatusCause[] {
  const before: string[] = old.spec?.podCIDRs ?? [];
  if (before.length === 0) return [];
  const after: string[] = node.spec?.podCIDRs ?? [];
  if (after.length !== before.length || after.some((c, i) => c !== before[i])) return [forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid')];
  return [];
}

export const nodeStrategy: Strategy = { applyDefaults, validate, validateUpdate };

// List and watch filtering by label and field selectors; bad selectors are the client's error (400).
import type { KubeObject } from '../../api/types.js';
import type { ListOptions } from '../../api/client.js';
import type { ResourceType } from '../../api/resources.js';
import { errors } from '../../api/errors.js';
import { labelSelectorAsSelector, labelSelectorFromSet, parseLabelSelector } from '../../api/label-selector.js';
import { fieldGetterFor, fieldSelectorMatcher } from '../../api/field-selector.js';

export type ObjectFilter = (obj: KubeObject) => boolean;

/** undefined when nothing filters, so callers can skip parsing stored objects altogether. */
export function buildFilter(r: ResourceType, opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>): ObjectFilter | undefined {
  const checks: ObjectFilter[] = [];
  if (opts.labelSelector && opts.labelSelector.trim()) {
    let sel;
    try {
      sel = parseLabelSelector(opts.labelSelector);
    } catch (err) {
      throw errors.badRequest((err as Error).message);
    }
    checks.push((obj) => sel.matches(obj.metadata?.labels));
  }
  if (opts.fieldSelector && opts.fieldSelector.trim()) {
    try {
      checks.push(fieldSelectorMatcher(opts.fieldSelector, fieldGetterFor(r.kind)));
    } catch (err) {
      throw errors.badRequest((err as Error).message);
    }
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (obj) => checks.every((c) => c(obj));
}

/** A workload's selector in the string form the scale subresource reports (`app=web,tier in (a)`). */
export function selectorString(r: ResourceType, selector: unknown): string {
  if (!selector) return '';
  // ReplicationControllers select with a plain label map; the apps kinds with a LabelSelector.
  const sel = r.kind === 'ReplicationController' ? labelSelectorFromSet(selector as Record<string, string>) : labelSelectorAsSelector(selector as any);
  return sel.toString();
}

// List and watch filtering by label and field selectors; bad selectors are the client's error (400).
import type { KubeObject } from '../../api/types.js';
import type { ListOptions } from '../../api/client.js';
import type { ResourceType } from '../../api/resources.js';
import { errors } from '../../api/errors.js';
import { labelSelectorAsSelector, labelSelectorFromSet, parseLabelSelector } from '../../api/label-selector.js';
import { fieldGetterFor, fieldSelectorMatcher, parseFieldSelector } from '../../api/field-selector.js';
import type { WatchIndex } from '../storage/watch-broadcaster.js';

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

// The fields watchers pin at scale (a node its pods, a client one object), most selective first.
const INDEXED_FIELDS = ['metadata.name', 'spec.nodeName', 'spec.host', 'metadata.namespace'];

/**
 * Where a watch with this field selector may be filed: a field the selector pins with `=` (every
 * object it selects has that value), so the store offers it only the writes of such objects.
 * buildFilter has already refused a selector it cannot parse or whose fields r does not offer.
 */
export function watchIndexFor(r: ResourceType, fieldSelector: string | undefined): WatchIndex | undefined {
  if (!fieldSelector?.trim()) return undefined;
  const getters = fieldGetterFor(r.kind);
  const pinned = parseFieldSelector(fieldSelector).requirements.filter((q) => q.operator === '=');
  for (const field of INDEXED_FIELDS) {
    const q = pinned.find((x) => x.field === field);
    if (q && Object.prototype.hasOwnProperty.call(getters, field)) return { field, value: q.value, valueOf: getters[field] };
  }
  return undefined;
}

/** A workload's selector in the string form the scale subresource reports (`app=web,tier in (a)`). */
export function selectorString(r: ResourceType, selector: unknown): string {
  if (!selector) return '';
  // ReplicationControllers select with a plain label map; the apps kinds with a LabelSelector.
  const sel = r.kind === 'ReplicationController' ? labelSelectorFromSet(selector as Record<string, string>) : labelSelectorAsSelector(selector as any);
  return sel.toString();
}

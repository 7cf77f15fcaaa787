// Label text as Kubernetes prints it: labels.FormatLabels, and selectors in their string form.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { labelSelectorAsSelector } from '../../label-selector.js';

// The SELECTOR column text (`<none>`, `<error>`) lives with the selector semantics.
export { formatLabelSelector } from '../../label-selector.js';

/**
 * `app=web,tier=front`; `<none>` for no labels. Kubernetes sorts the `key=value` pairs, not the
 * keys, so `app.kubernetes.io/name=x` comes before `app=y`.
 */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? '<none>' : pairs.sort(byteOrder).join(',');
}

/**
 * The selector's string form (`app=web,env in (prod,qa),!canary`); empty for a missing or empty
 * selector. Throws on a requirement Kubernetes would reject.
 */
export function labelSelectorString(selector: LabelSelector | undefined | null): string {
  return labelSelectorAsSelector(selector).toString();
}

/** Go compares strings bytewise; localeCompare would not. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ResourceLists (`{ pods: '2', 'requests.cpu': '500m' }`) as Kubernetes' quota helpers handle them:
// sums, masks, the comparison that says which resources a quota would exceed, and the
// `pods=1,requests.cpu=500m` text its messages print.
import { Quantity } from '../../api/quantity.js';

export type ResourceList = Map<string, Quantity>;

/** A stored `{name: quantity}` map; values that do not parse (validation keeps them out) count as zero. */
export function parseResourceList(raw: Record<string, string | number> | undefined | null): ResourceList {
  const list: ResourceList = new Map();
  for (const [name, value] of Object.entries(raw ?? {})) list.set(name, Quantity.parse(value) ?? Quantity.ZERO);
  return list;
}

export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...list.keys()].sort()) out[name] = list.get(name)!.toString();
  return out;
}

export function add(a: ResourceList, b: ResourceList): ResourceList {
  const sum: ResourceList = new Map(a);
  for (const [name, q] of b) sum.set(name, sum.get(name)?.add(q) ?? q);
  return sum;
}

/** quota.SubtractWithNonNegativeResult: a - b, never below zero, over a's resources. */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const difference: ResourceList = new Map();
  for (const [name, q] of a) {
    const d = b.has(name) ? q.sub(b.get(name)!) : q;
    difference.set(name, d.cmp(Quantity.ZERO) < 0 ? Quantity.ZERO : d);
  }
  return difference;
}

/** Only the named resources of the list. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const kept: ResourceList = new Map();
  for (const name of names) if (list.has(name)) kept.set(name, list.get(name)!);
  return kept;
}

export function removeZeros(list: ResourceList): ResourceList {
  return new Map([...list].filter(([, q]) => !q.isZero()));
}

/** quota.LessThanOrEqual: whether every resource of a that b limits is within it, and which are not. */
export function exceeded(a: ResourceList, b: ResourceList): string[] {
  return [...a].filter(([name, q]) => b.has(name) && q.cmp(b.get(name)!) > 0).map(([name]) => name);
}

/** `pods=1,requests.cpu=500m`, by name. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((name) => `${name}=${list.get(name)!.toString()}`)
    .join(',');
}

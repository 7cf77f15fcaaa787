// The shape of an object kubectl builds itself (a typed Go struct): fields in the struct's order,
// which `-o json` and the last-applied annotation keep, and the `creationTimestamp: null` an unset
// metav1.Time marshals to.
import type { KubeObject } from '../../api/types.js';
import { byteOrder } from '../../api/printers/columns/labels.js';

/** TypeMeta then ObjectMeta (name, namespace, creationTimestamp), as Go orders them. */
export function typedObject(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject {
  return { kind, apiVersion, metadata: { name, ...(namespace ? { namespace } : {}), creationTimestamp: null } } as unknown as KubeObject;
}

/** A Go map[string]... marshals with its keys sorted. */
export function sortedMap<V>(entries: Iterable<[string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of [...entries].sort((a, b) => byteOrder(a[0], b[0]))) out[k] = v;
  return out;
}

/** `kubectl create serviceaccount NAME`. */
export function serviceAccountFor(name: string, namespace?: string): KubeObject {
  return typedObject('v1', 'ServiceAccount', name, namespace);
}

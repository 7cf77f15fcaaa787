// Whether controllers that fill namespaces (default service account, root CA) should act on one.
import type { KubeObject } from '../../api/types.js';

/** A namespace that exists and is not being deleted. */
export function isActiveNamespace(ns: KubeObject | undefined): boolean {
  return !!ns && !ns.metadata.deletionTimestamp && ns.status?.phase !== 'Terminating';
}

// Owner references as the workload controllers use them: the one controlling owner of an object,
// and the reference a controller puts on what it creates.
import type { KubeObject, OwnerReference } from '../../api/types.js';

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The reference that makes `owner` the controller of a new object (and blocks its deletion in foreground). */
export function controllerReference(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

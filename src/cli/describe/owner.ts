// Controller references between objects.
import type { KubeObject, OwnerReference } from '../../api/types.js';

function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** `ReplicaSet/django-5d8f7b9c6`, or '' when nothing controls obj. */
export function controlledBy(obj: KubeObject): string {
  const ref = controllerOf(obj);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** The objects whose controller is `owner`: a selector can match strays that belong to others. */
export function controlledObjects(objects: KubeObject[] | undefined, owner: KubeObject): KubeObject[] {
  return (objects ?? []).filter((o) => {
    const ref = controllerOf(o);
    return ref !== undefined && ref.uid === owner.metadata.uid;
  });
}

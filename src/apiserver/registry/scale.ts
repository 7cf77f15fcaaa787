// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and ReplicationControllers.
import type { KubeObject } from '../../api/types.js';
import { errors } from '../../api/errors.js';
import type { ResourceType } from '../../api/resources.js';
import { selectorString } from './filters.js';

export function getScale(r: ResourceType, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(r, obj.spec?.selector) },
  };
}

/** The object to write for a Scale: the stored object with the new replica count (CAS on the Scale's resourceVersion). */
export function scaleToUpdate(current: KubeObject, scale: KubeObject): KubeObject {
  const replicas = scale?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', current.metadata.name!, [
      { field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, reason: 'FieldValueInvalid' },
    ]);
  }
  const next = structuredClone(current);
  next.spec = { ...next.spec, replicas };
  next.metadata.resourceVersion = scale.metadata?.resourceVersion || undefined;
  if (next.metadata.resourceVersion === undefined) delete next.metadata.resourceVersion;
  return next;
}

// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and ReplicationControllers.
import type { KubeObject } from '../../api/types.js';
import { errors } from '../../api/errors.js';
import type { ResourceType } from '../../api/resources.js';
import type { PatchType } from '../../api/client.js';
import { selectorString } from './filters.js';
import type { Registry, RegistryWriteOptions } from './registry.js';
import { applyPatchOrRefuse } from './patching.js';
import { cannotDecode, int32Error } from './decode-errors.js';
import { invalid } from './strategies/field-errors.js';

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
  if (!scale || typeof scale !== 'object' || Array.isArray(scale)) throw cannotDecode('Scale', 'v1', 'the body must be a JSON object');
  const replicas = scale.spec?.replicas;
  const typeError = int32Error(replicas, 'ScaleSpec.spec.replicas');
  if (typeError) throw cannotDecode('Scale', 'v1', typeError);
  if ((replicas ?? 0) < 0) {
    throw errors.invalid('Scale', 'autoscaling', current.metadata.name!, [invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const next = structuredClone(current);
  next.spec = { ...next.spec, replicas: replicas ?? 0 };
  next.metadata.resourceVersion = scale.metadata?.resourceVersion || undefined;
  if (next.metadata.resourceVersion === undefined) delete next.metadata.resourceVersion;
  return next;
}

/** PUT .../scale. */
export function updateScale(registry: Registry, r: ResourceType, ns: string | undefined, name: string, scale: KubeObject, opts: RegistryWriteOptions): KubeObject {
  const current = registry.get(r, ns, name);
  return getScale(r, registry.update(r, ns, name, scaleToUpdate(current, scale), opts));
}

/** PATCH .../scale: the patch applies to the Scale, which then updates the object. */
export function patchScale(registry: Registry, r: ResourceType, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts: RegistryWriteOptions): KubeObject {
  const current = registry.get(r, ns, name);
  const scale = applyPatchOrRefuse(type, getScale(r, current), patch, 'Scale') as KubeObject;
  return getScale(r, registry.update(r, ns, name, scaleToUpdate(current, scale), opts));
}

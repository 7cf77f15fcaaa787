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
import { fieldAtPath, setFieldAtPath } from './customresources/simple-paths.js';

/**
 * Where a kind keeps its replica counts and selector: the workloads' own fields, or the paths a
 * custom resource's definition names (its selector there is already a string).
 */
function scaleFields(r: ResourceType, obj: KubeObject): { spec: unknown; status: unknown; selector: string } {
  const paths = r.custom?.scale;
  if (!paths) return { spec: obj.spec?.replicas, status: obj.status?.replicas, selector: selectorString(r, obj.spec?.selector) };
  const selector = paths.labelSelectorPath ? fieldAtPath(obj, paths.labelSelectorPath) : undefined;
  return { spec: fieldAtPath(obj, paths.specReplicasPath), status: fieldAtPath(obj, paths.statusReplicasPath), selector: typeof selector === 'string' ? selector : '' };
}

export function getScale(r: ResourceType, obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const fields = scaleFields(r, obj);
  const status: Record<string, unknown> = { replicas: fields.status ?? 0 };
  // A custom resource without a selector path reports none (Kubernetes leaves it out).
  if (!r.custom?.scale || fields.selector) status.selector = fields.selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: fields.spec ?? 0 },
    status,
  };
}

/** The object to write for a Scale: the stored object with the new replica count (CAS on the Scale's resourceVersion). */
export function scaleToUpdate(r: ResourceType, current: KubeObject, scale: KubeObject): KubeObject {
  if (!scale || typeof scale !== 'object' || Array.isArray(scale)) throw cannotDecode('Scale', 'v1', 'the body must be a JSON object');
  const replicas = scale.spec?.replicas;
  const typeError = int32Error(replicas, 'ScaleSpec.spec.replicas');
  if (typeError) throw cannotDecode('Scale', 'v1', typeError);
  if ((replicas ?? 0) < 0) {
    throw errors.invalid('Scale', 'autoscaling', current.metadata.name!, [invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  const next = structuredClone(current);
  if (r.custom?.scale) setFieldAtPath(next, r.custom.scale.specReplicasPath, replicas ?? 0);
  else next.spec = { ...next.spec, replicas: replicas ?? 0 };
  next.metadata.resourceVersion = scale.metadata?.resourceVersion || undefined;
  if (next.metadata.resourceVersion === undefined) delete next.metadata.resourceVersion;
  return next;
}

/** PUT .../scale. */
export function updateScale(registry: Registry, r: ResourceType, ns: string | undefined, name: string, scale: KubeObject, opts: RegistryWriteOptions): KubeObject {
  const current = registry.get(r, ns, name);
  return getScale(r, registry.update(r, ns, name, scaleToUpdate(r, current, scale), opts));
}

/** PATCH .../scale: the patch applies to the Scale, which then updates the object. */
export function patchScale(registry: Registry, r: ResourceType, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts: RegistryWriteOptions): KubeObject {
  const current = registry.get(r, ns, name);
  const scale = applyPatchOrRefuse(type, getScale(r, current), patch, 'Scale') as KubeObject;
  return getScale(r, registry.update(r, ns, name, scaleToUpdate(r, current, scale), opts));
}

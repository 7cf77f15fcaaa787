// Names the storage parts share: the built-in local-path class (as k3s ships it), the annotations
// that tie a claim to a node and a class to being the default, and the protection finalizers.
import type { KubeObject } from './types.js';

export const LOCAL_PATH_CLASS = 'local-path';
/** The provisioner name of k3s' local-path class, so manifests written for k3s run unchanged. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Set on a claim of a WaitForFirstConsumer class once its first pod has a node. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
export const PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
export const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
/**
 * Where a node keeps its local-path volumes (`<node data dir>/volumes`), published by its agent on
 * its Node: each simulated machine has its own data dir, so the provisioner cannot know it otherwise.
 */
export const LOCAL_PATH_ROOT_ANNOTATION = 'storage.kctl.io/local-path-root';

/** The class made at daemon start, as k3s' local-storage manifest makes it. */
export function localPathStorageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

export function isDefaultClass(sc: KubeObject): boolean {
  return sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/**
 * The default class, as the DefaultStorageClass admission plugin picks it: of several, the newest
 * (then the first by name), as Kubernetes 1.28+ does.
 */
export function defaultClass(classes: KubeObject[]): KubeObject | undefined {
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!))[0];
}

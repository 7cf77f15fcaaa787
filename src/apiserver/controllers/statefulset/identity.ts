// A StatefulSet pod's stable identity (Kubernetes' stateful_set_utils): the name `<set>-<ordinal>`,
// the pod-name, pod-index and revision labels, hostname and subdomain (so the headless Service
// publishes `<pod>.<service>`), and one claim per volumeClaimTemplate, `<template>-<set>-<ordinal>`,
// that the pod mounts in place of the template's volume of the same name.
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { controllerReference } from '../controller-ref.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

export function podName(set: KubeObject, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** The ordinal of a pod of `set` (its name is `<set>-<n>`), or undefined for any other name. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: KubeObject): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function claimName(set: KubeObject, template: KubeObject, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

export function revisionOf(pod: KubeObject): string | undefined {
  return pod.metadata.labels?.[REVISION_LABEL];
}

/** The pod for `ordinal` from `template` (the set's, or an older revision's), labelled with `revision`. */
export function newPod(set: KubeObject, template: KubeObject, ordinal: number, revision: string): KubeObject {
  const meta = template.metadata ?? {};
  const name = podName(set, ordinal);
  const spec = structuredClone(template.spec ?? {});
  const claimVolumes = (set.spec?.volumeClaimTemplates ?? []).map((t: KubeObject) => ({
    name: t.metadata?.name,
    persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
  }));
  if (claimVolumes.length) {
    const names = new Set(claimVolumes.map((v: { name: string }) => v.name));
    spec.volumes = [...(spec.volumes ?? []).filter((v: { name: string }) => !names.has(v.name)), ...claimVolumes];
  }
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...meta.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers?.length ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerReference(set)],
    },
    spec,
  };
}

/** A plain (non-controller) reference: the garbage collector deletes the claim when `owner` goes. */
export function ownerReference(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid! };
}

/**
 * The claims the pod at `ordinal` needs, labelled with the set's matchLabels; with
 * whenDeleted: Delete they name the set as owner, so deleting the set deletes them.
 */
export function newClaims(set: KubeObject, ordinal: number): KubeObject[] {
  const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  return (set.spec?.volumeClaimTemplates ?? []).map((t: KubeObject) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(set, t, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ...(deleteWithSet ? { ownerReferences: [ownerReference(set)] } : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }));
}

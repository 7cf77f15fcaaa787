// CustomResourceDefinitions as the catalogue sees them: the names of their conditions and of the
// finalizer that empties them, and the resource types (one per served version) a definition
// whose names were accepted makes the server serve.
import type { KubeObject } from './types.js';
import type { PrinterColumn, ResourceType } from './resources.js';

/** Held by a definition while its objects are deleted, as apiextensions-apiserver does. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export type CrdConditionType = 'NamesAccepted' | 'Established' | 'Terminating';

export interface CrdCondition {
  type: CrdConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function crdCondition(crd: KubeObject, type: CrdConditionType): CrdCondition | undefined {
  return ((crd.status?.conditions as CrdCondition[] | undefined) ?? []).find((c) => c.type === type);
}

export function isCrdConditionTrue(crd: KubeObject, type: CrdConditionType): boolean {
  return crdCondition(crd, type)?.status === 'True';
}

/** The version objects are stored in: the one marked storage. */
export function storageVersionOf(crd: KubeObject): string | undefined {
  return (crd.spec?.versions as { name: string; storage?: boolean }[] | undefined)?.find((v) => v.storage)?.name;
}

/**
 * The resource types an established definition serves, one per served version, named by the
 * names it was accepted with (status.acceptedNames); none before it is established.
 */
export function servedVersionsOf(crd: KubeObject): ResourceType[] {
  if (!isCrdConditionTrue(crd, 'Established')) return [];
  const names = crd.status?.acceptedNames ?? {};
  const storageVersion = storageVersionOf(crd);
  if (!names.plural || !names.kind || !storageVersion) return [];
  const terminating = !!crd.metadata.deletionTimestamp;
  const out: ResourceType[] = [];
  for (const v of crd.spec.versions ?? []) {
    if (!v.served) continue;
    const subresources: string[] = [];
    if (v.subresources?.status) subresources.push('status');
    if (v.subresources?.scale) subresources.push('scale');
    const scale = v.subresources?.scale;
    out.push({
      group: crd.spec.group,
      version: v.name,
      kind: names.kind,
      plural: names.plural,
      singular: names.singular || names.kind.toLowerCase(),
      shortNames: names.shortNames ?? [],
      namespaced: crd.spec.scope === 'Namespaced',
      subresources,
      categories: names.categories ?? [],
      statusSubresource: subresources.includes('status'),
      custom: {
        definition: crd.metadata.name!,
        storageVersion,
        listKind: names.listKind || `${names.kind}List`,
        terminating,
        printerColumns: (v.additionalPrinterColumns as PrinterColumn[] | undefined) ?? [],
        ...(scale ? { scale: { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath, labelSelectorPath: scale.labelSelectorPath } } : {}),
      },
    });
  }
  return out;
}

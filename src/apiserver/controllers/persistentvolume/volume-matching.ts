// Which PersistentVolume a claim may bind to, as the PV controller's findBestMatchForClaim: the
// same class, every access mode the claim asks for, the same volume mode, the claim's selector,
// at least the requested size; of those, the smallest. A PV pre-bound to the claim wins.
import type { KubeObject } from '../../../api/types.js';
import { Quantity } from '../../../api/quantity.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';

function size(q: unknown): Quantity {
  return Quantity.parse(q as string) ?? Quantity.ZERO;
}

/** The claim's class; "" is "no class", which binds only PVs without one. */
export function claimClass(pvc: KubeObject): string {
  return pvc.spec?.storageClassName ?? '';
}

export function volumeClass(pv: KubeObject): string {
  return pv.spec?.storageClassName ?? '';
}

/** Whether the PV's claimRef names this claim (by uid when the ref has one). */
export function claimRefMatches(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.namespace !== pvc.metadata.namespace || ref.name !== pvc.metadata.name) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** Why the PV cannot hold the claim, or undefined when it can (binding state aside). */
export function mismatch(pv: KubeObject, pvc: KubeObject): string | undefined {
  if (volumeClass(pv) !== claimClass(pvc)) return 'storage class differs';
  const offered: string[] = pv.spec?.accessModes ?? [];
  const wanted: string[] = pvc.spec?.accessModes ?? [];
  const missing = wanted.find((m) => !offered.includes(m));
  if (missing) return `access mode ${missing} not offered`;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return 'volume mode differs';
  if (pvc.spec?.selector && !labelSelectorAsSelector(pvc.spec.selector).matches(pv.metadata.labels ?? {})) return 'selector does not match';
  if (size(pv.spec?.capacity?.storage).cmp(size(pvc.spec?.resources?.requests?.storage)) < 0) return 'capacity too small';
  return undefined;
}

/** The PV the claim should bind to, or undefined. */
export function bestMatch(pvc: KubeObject, volumes: readonly KubeObject[]): KubeObject | undefined {
  if (pvc.spec?.volumeName) {
    const named = volumes.find((pv) => pv.metadata.name === pvc.spec.volumeName);
    if (!named || named.metadata.deletionTimestamp) return undefined;
    if (named.spec?.claimRef && !claimRefMatches(named, pvc)) return undefined;
    return mismatch(named, pvc) === undefined || claimRefMatches(named, pvc) ? named : undefined;
  }
  const preBound = volumes.find((pv) => claimRefMatches(pv, pvc) && !pv.metadata.deletionTimestamp);
  if (preBound) return preBound;
  let best: KubeObject | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef || pv.metadata.deletionTimestamp) continue;
    if (pv.status?.phase && pv.status.phase !== 'Available') continue;
    if (mismatch(pv, pvc) !== undefined) continue;
    if (!best || size(pv.spec?.capacity?.storage).cmp(size(best.spec?.capacity?.storage)) < 0) best = pv;
  }
  return best;
}

/** The claims a pod mounts, by name. */
export function podClaimNames(pod: KubeObject): string[] {
  return (pod.spec?.volumes ?? []).filter((v: any) => v.persistentVolumeClaim?.claimName).map((v: any) => v.persistentVolumeClaim.claimName as string);
}

/** Whether a pod still counts as using its claims (the pvc-protection rule: until it has terminated). */
export function podUsesClaims(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

// VolumeBinding: a pod whose claim is bound to a volume with node affinity (a local-path or local
// PV) fits only the nodes that volume is on; a missing claim, or an unbound claim of an Immediate
// class, keeps the pod pending. Unbound WaitForFirstConsumer claims fit anywhere: the PV
// controller provisions them on the node the pod lands on.
import type { KubeObject } from '../../../api/types.js';
import { SKIP, type FilterPlugin } from '../framework.js';
import { matchesAnyTerm } from '../node-selector.js';

const STATE_KEY = 'VolumeBinding';

function claimNames(pod: KubeObject): string[] {
  return (pod.spec?.volumes ?? []).filter((v: any) => v.persistentVolumeClaim?.claimName).map((v: any) => v.persistentVolumeClaim.claimName);
}

export const volumeBinding: FilterPlugin = {
  name: 'VolumeBinding',
  preFilter(pod, ctx) {
    const names = claimNames(pod as KubeObject);
    if (names.length === 0 || !ctx.volumes) return SKIP;
    const bound: KubeObject[] = [];
    for (const name of names) {
      const pvc = ctx.volumes.claim(pod.metadata!.namespace!, name);
      if (!pvc) return { reason: `persistentvolumeclaim "${name}" not found`, unresolvable: true };
      if (pvc.metadata.deletionTimestamp) return { reason: `persistentvolumeclaim "${name}" is being deleted`, unresolvable: true };
      const pv = pvc.spec?.volumeName ? ctx.volumes.volume(pvc.spec.volumeName) : undefined;
      if (pv) {
        bound.push(pv);
        continue;
      }
      const sc = ctx.volumes.storageClass(pvc.spec?.storageClassName ?? '');
      if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return { reason: 'pod has unbound immediate PersistentVolumeClaims' };
    }
    if (bound.length === 0) return SKIP;
    ctx.state.set(STATE_KEY, bound);
    return undefined;
  },
  filter(_pod, node, ctx) {
    const bound = (ctx.state.get(STATE_KEY) as KubeObject[] | undefined) ?? [];
    for (const pv of bound) {
      const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !matchesAnyTerm(terms, node.node)) return { reason: 'node(s) had volume node affinity conflict', unresolvable: true };
    }
    return undefined;
  },
};

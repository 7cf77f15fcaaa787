// VolumeRestrictions for claims: a ReadWriteOncePod claim already used by another pod keeps the pod
// off every node (kube-scheduler's words), and a ReadWriteOnce claim already used by a pod on one
// node keeps it off the others. (Kubernetes lets the attach of an RWO volume fail with a
// Multi-Attach error on the second node; there is no attach step here, so the scheduler says it.)
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/types.js';
import { SKIP, type FilterPlugin } from '../framework.js';

const STATE_KEY = 'VolumeRestrictions';
export const RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';
export const RWO_CONFLICT = 'node(s) cannot mount a ReadWriteOnce PersistentVolumeClaim in use by a pod on another node';

function claimNames(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
}

function accessModes(pvc: KubeObject): string[] {
  return pvc.status?.accessModes ?? pvc.spec?.accessModes ?? [];
}

export const volumeRestrictions: FilterPlugin = {
  name: 'VolumeRestrictions',
  preFilter(pod, ctx) {
    const names = claimNames(pod);
    if (names.length === 0 || !ctx.volumes) return SKIP;
    const ns = pod.metadata!.namespace!;
    const once = new Set<string>();
    const oncePod = new Set<string>();
    for (const name of names) {
      const pvc = ctx.volumes.claim(ns, name);
      if (!pvc) continue;
      const modes = accessModes(pvc);
      if (modes.includes('ReadWriteOncePod')) oncePod.add(name);
      else if (modes.length > 0 && modes.every((m) => m === 'ReadWriteOnce')) once.add(name);
    }
    if (once.size === 0 && oncePod.size === 0) return SKIP;
    // The nodes where another pod already uses one of the pod's ReadWriteOnce claims.
    const heldOn = new Set<string>();
    const self = pod.metadata!.uid;
    for (const node of ctx.nodes) {
      for (const other of node.pods.values()) {
        if (other.metadata?.namespace !== ns || (self && other.metadata?.uid === self)) continue;
        for (const name of claimNames(other)) {
          if (oncePod.has(name)) return { reason: RWOP_CONFLICT };
          if (once.has(name)) heldOn.add(node.name);
        }
      }
    }
    if (heldOn.size === 0) return SKIP;
    ctx.state.set(STATE_KEY, heldOn);
    return undefined;
  },
  filter(_pod, node, ctx) {
    const heldOn = ctx.state.get(STATE_KEY) as Set<string> | undefined;
    if (heldOn && !heldOn.has(node.name)) return { reason: RWO_CONFLICT };
    return undefined;
  },
};

// kubectl's PersistentVolume, PersistentVolumeClaim and StorageClass describers.
import { accessModesText } from '../../api/printers/columns/storage.js';
import { formatLabels } from '../../api/printers/columns/labels.js';
import { timestampSince } from '../../api/printers/duration.js';
import { isDefaultClass } from '../../api/storage.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { writePersistentVolumeSource } from './volumes.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbed, writeAnnotations, writeLabels, writeMultiline, type PrefixWriter } from './writer.js';

const PODS = 'pods';

/** Go's `%v` of a []string. */
function goList(items: string[] | undefined): string {
  return `[${(items ?? []).join(' ')}]`;
}

function status(obj: KubeObject, now: Date): string {
  return obj.metadata.deletionTimestamp ? `Terminating (lasts ${timestampSince(obj.metadata.deletionTimestamp, now)})` : (obj.status?.phase ?? '');
}

/** printVolumeNodeAffinity: each required term's expressions, `key in [a, b]`. */
function writeNodeAffinity(w: PrefixWriter, affinity: any): void {
  w.write(LEVEL_0, 'Node Affinity:\t');
  if (!affinity?.required) {
    w.write(LEVEL_0, '<none>\n');
    return;
  }
  w.write(LEVEL_0, '\n');
  const terms: any[] = affinity.required.nodeSelectorTerms ?? [];
  w.write(LEVEL_1, `Required Terms:\t${terms.length ? '' : '<none>'}\n`);
  terms.forEach((term, i) => {
    const exprs = (term.matchExpressions ?? []).map((r: any) => `${r.key} ${String(r.operator).toLowerCase()}${r.values?.length ? ` [${r.values.join(', ')}]` : ''}`);
    w.write(LEVEL_2, `Term ${i}:\t`);
    if (!exprs.length) w.write(LEVEL_0, '<none>\n');
    exprs.forEach((e: string, j: number) => w.write(LEVEL_0, `${j ? '\t' : ''}${e}\n`));
  });
}

export const persistentVolumeDescriber: Describer = {
  describe(pv: KubeObject, ctx: DescribeContext): string {
    const spec = pv.spec ?? {};
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${pv.metadata.name}\n`);
      writeLabels(w, 'Labels', pv.metadata.labels);
      writeAnnotations(w, 'Annotations', pv.metadata.annotations);
      w.write(LEVEL_0, `Finalizers:\t${goList(pv.metadata.finalizers)}\n`);
      w.write(LEVEL_0, `StorageClass:\t${spec.storageClassName ?? ''}\n`);
      w.write(LEVEL_0, `Status:\t${status(pv, ctx.now)}\n`);
      w.write(LEVEL_0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : ''}\n`);
      w.write(LEVEL_0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
      w.write(LEVEL_0, `Access Modes:\t${accessModesText(spec.accessModes)}\n`);
      if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
      w.write(LEVEL_0, `Capacity:\t${spec.capacity?.storage ?? '0'}\n`);
      writeNodeAffinity(w, spec.nodeAffinity);
      w.write(LEVEL_0, `Message:\t${pv.status?.message ?? ''}\n`);
      writePersistentVolumeSource(w, spec);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

function usesClaim(pod: KubeObject, claim: string): boolean {
  return (pod.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === claim);
}

export const persistentVolumeClaimDescriber: Describer = {
  related: (pvc) => [{ name: PODS, resource: 'pods', namespace: pvc.metadata.namespace }],

  describe(pvc: KubeObject, ctx: DescribeContext): string {
    const spec = pvc.spec ?? {};
    const bound = !!spec.volumeName;
    const users = (ctx.related[PODS] ?? []).filter((p) => usesClaim(p, pvc.metadata.name!)).map((p) => p.metadata.name!).sort();
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${pvc.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${pvc.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `StorageClass:\t${spec.storageClassName ?? ''}\n`);
      w.write(LEVEL_0, `Status:\t${status(pvc, ctx.now)}\n`);
      w.write(LEVEL_0, `Volume:\t${spec.volumeName ?? ''}\n`);
      writeLabels(w, 'Labels', pvc.metadata.labels);
      writeAnnotations(w, 'Annotations', pvc.metadata.annotations);
      w.write(LEVEL_0, `Finalizers:\t${goList(pvc.metadata.finalizers)}\n`);
      // A claim shows its capacity and modes once bound, from its status (the volume's).
      w.write(LEVEL_0, `Capacity:\t${bound ? (pvc.status?.capacity?.storage ?? '0') : ''}\n`);
      w.write(LEVEL_0, `Access Modes:\t${bound ? accessModesText(pvc.status?.accessModes) : ''}\n`);
      if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
      writeMultiline(w, 'Used By:\t', '\t', users);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

function boolPtr(value: boolean | undefined): string {
  return value === undefined ? '<unset>' : value ? 'True' : 'False';
}

export const storageClassDescriber: Describer = {
  describe(sc: KubeObject, ctx: DescribeContext): string {
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${sc.metadata.name}\n`);
      w.write(LEVEL_0, `IsDefaultClass:\t${isDefaultClass(sc) ? 'Yes' : 'No'}\n`);
      w.write(LEVEL_0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
      w.write(LEVEL_0, `Provisioner:\t${sc.provisioner ?? ''}\n`);
      w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
      w.write(LEVEL_0, `AllowVolumeExpansion:\t${boolPtr(sc.allowVolumeExpansion)}\n`);
      if (!sc.mountOptions?.length) w.write(LEVEL_0, 'MountOptions:\t<none>\n');
      else {
        w.write(LEVEL_0, 'MountOptions:\n');
        for (const o of sc.mountOptions) w.write(LEVEL_1, `${o}\n`);
      }
      if (sc.reclaimPolicy) w.write(LEVEL_0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
      if (sc.volumeBindingMode) w.write(LEVEL_0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

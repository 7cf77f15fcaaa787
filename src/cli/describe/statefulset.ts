// kubectl's StatefulSetDescriber: replicas, update strategy, pods by phase, the pod template and the
// volume claim templates.
import { formatLabelSelector, labelSelectorString } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { formatTime } from './format.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { podsRequest, podsStatus } from './workload.js';
import { LEVEL_0, LEVEL_1, tabbed, writeAnnotations, writeLabels, writeMultiline, type PrefixWriter } from './writer.js';

function writeClaimTemplates(w: PrefixWriter, templates: KubeObject[] | undefined): void {
  if (!templates?.length) {
    w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
    return;
  }
  w.write(LEVEL_0, 'Volume Claims:\n');
  for (const t of templates) {
    w.write(LEVEL_1, `Name:\t${t.metadata?.name ?? ''}\n`);
    w.write(LEVEL_1, `StorageClass:\t${t.spec?.storageClassName ?? t.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`);
    const labels = t.metadata?.labels ?? {};
    writeMultiline(w, '  Labels:\t', '\t', Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`));
    const annotations = t.metadata?.annotations ?? {};
    writeMultiline(w, '  Annotations:\t', '\t', Object.keys(annotations).sort().map((k) => `${k}=${annotations[k]}`));
    w.write(LEVEL_1, `Capacity:\t${t.spec?.resources?.requests?.storage ?? '<default>'}\n`);
    w.write(LEVEL_1, `Access Modes:\t[${(t.spec?.accessModes ?? []).join(' ')}]\n`);
  }
}

export const statefulSetDescriber: Describer = {
  related: (obj) => [podsRequest(obj, labelSelectorString(obj.spec?.selector))],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const spec = obj.spec ?? {};
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `CreationTimestamp:\t${formatTime(obj.metadata.creationTimestamp)}\n`);
      w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 1} desired | ${obj.status?.replicas ?? 0} total\n`);
      w.write(LEVEL_0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
      const rolling = spec.updateStrategy?.rollingUpdate;
      if (rolling?.partition !== undefined) {
        w.write(LEVEL_1, `Partition:\t${rolling.partition}\n`);
        if (rolling.maxUnavailable !== undefined) w.write(LEVEL_1, `MaxUnavailable:\t${rolling.maxUnavailable}\n`);
      }
      w.write(LEVEL_0, `Pods Status:\t${podsStatus(ctx, obj)}\n`);
      writePodTemplate(w, spec.template);
      writeClaimTemplates(w, spec.volumeClaimTemplates);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

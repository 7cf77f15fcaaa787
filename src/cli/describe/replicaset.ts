import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { formatLabelSelector, labelSelectorString } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { controlledBy } from './owner.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { podsRequest, podsStatus, writeReplicaConditions } from './workload.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const replicaSetDescriber: Describer = {
  related: (obj) => [podsRequest(obj, labelSelectorString((obj as unknown as ReplicaSet).spec?.selector))],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const rs = obj as unknown as ReplicaSet;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      const controller = controlledBy(obj);
      if (controller) w.write(LEVEL_0, `Controlled By:\t${controller}\n`);
      // The API defaults spec.replicas to 1.
      w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
      w.write(LEVEL_0, `Pods Status:\t${podsStatus(ctx, obj)}\n`);
      writePodTemplate(w, rs.spec?.template);
      writeReplicaConditions(w, rs.status?.conditions);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

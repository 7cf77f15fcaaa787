import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import { formatLabels, labelSelectorString } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { podsRequest, podsStatus, writeReplicaConditions } from './workload.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const replicationControllerDescriber: Describer = {
  related: (obj) => [podsRequest(obj, labelSelectorString({ matchLabels: (obj as unknown as ReplicationController).spec?.selector }))],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const rc = obj as unknown as ReplicationController;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `Selector:\t${formatLabels(rc.spec?.selector)}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      // The API defaults spec.replicas to 1.
      w.write(LEVEL_0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${rc.spec?.replicas ?? 1} desired\n`);
      w.write(LEVEL_0, `Pods Status:\t${podsStatus(ctx, obj)}\n`);
      writePodTemplate(w, rc.spec?.template);
      writeReplicaConditions(w, rc.status?.conditions);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

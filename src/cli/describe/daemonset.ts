// kubectl's DaemonSetDescriber: the selectors, the node counts from the status, the pods by phase,
// the pod template and the events.
import { formatLabels, formatLabelSelector, labelSelectorString } from '../../api/printers/columns/labels.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import { writePodTemplate } from './pod-template.js';
import type { DescribeContext, Describer } from './types.js';
import { podsRequest, podsStatus } from './workload.js';
import { LEVEL_0, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const daemonSetDescriber: Describer = {
  related: (obj) => [podsRequest(obj, labelSelectorString(obj.spec?.selector))],

  describe(obj: KubeObject, ctx: DescribeContext): string {
    const spec = obj.spec ?? {};
    const status = obj.status ?? {};
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
      w.write(LEVEL_0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      // kubectl writes these five without a tab: they do not line up with the rest.
      w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${status.desiredNumberScheduled ?? 0}\n`);
      w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${status.currentNumberScheduled ?? 0}\n`);
      w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${status.updatedNumberScheduled ?? 0}\n`);
      w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${status.numberAvailable ?? 0}\n`);
      w.write(LEVEL_0, `Number of Nodes Misscheduled: ${status.numberMisscheduled ?? 0}\n`);
      w.write(LEVEL_0, `Pods Status:\t${podsStatus(ctx, obj)}\n`);
      writePodTemplate(w, spec.template);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

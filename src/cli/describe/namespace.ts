import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.js';
import { formatTime } from './format.js';
import type { Describer } from './types.js';
import { LEVEL_0, LEVEL_1, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const namespaceDescriber: Describer = {
  describe(obj: KubeObject): string {
    const ns = obj as unknown as Namespace;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
      const conditions = ns.status?.conditions ?? [];
      if (conditions.length > 0) {
        w.write(LEVEL_0, 'Conditions:\n');
        w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
        w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
        for (const c of conditions) {
          w.write(LEVEL_1, `${c.type}\t${c.status}\t${formatTime(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
        }
      }
      // kctl has neither ResourceQuota nor LimitRange objects, so a namespace never has any.
      w.write(LEVEL_0, '\nNo resource quota.\n');
      w.write(LEVEL_0, '\nNo LimitRange resource.\n');
    });
  },
};

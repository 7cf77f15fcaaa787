import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.js';
import { formatTime } from './format.js';
import { writeNamespaceLimits } from './limitrange.js';
import { writeNamespaceQuotas } from './resourcequota.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, LEVEL_1, tabbed, writeAnnotations, writeLabels } from './writer.js';

const QUOTAS = 'resourcequotas';
const LIMIT_RANGES = 'limitranges';

export const namespaceDescriber: Describer = {
  related: (ns) => [
    { name: QUOTAS, resource: 'resourcequotas', namespace: ns.metadata.name },
    { name: LIMIT_RANGES, resource: 'limitranges', namespace: ns.metadata.name },
  ],

  describe(obj: KubeObject, ctx: DescribeContext): string {
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
      w.write(LEVEL_0, '\n');
      writeNamespaceQuotas(w, ctx.related[QUOTAS] ?? []);
      w.write(LEVEL_0, '\n');
      writeNamespaceLimits(w, ctx.related[LIMIT_RANGES] ?? []);
    });
  },
};

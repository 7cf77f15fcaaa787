import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/types.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbed, writeAnnotations, writeLabels } from './writer.js';

export const endpointsDescriber: Describer = {
  describe(obj: KubeObject, ctx: DescribeContext): string {
    const ep = obj as unknown as Endpoints;
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
      writeLabels(w, 'Labels', obj.metadata.labels);
      writeAnnotations(w, 'Annotations', obj.metadata.annotations);
      w.write(LEVEL_0, 'Subsets:\n');
      for (const subset of ep.subsets ?? []) {
        w.write(LEVEL_1, `Addresses:\t${(subset.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
        w.write(LEVEL_1, `NotReadyAddresses:\t${(subset.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
        if (subset.ports?.length) {
          w.write(LEVEL_1, 'Ports:\n');
          w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
          w.write(LEVEL_2, '----\t----\t--------\n');
          for (const p of subset.ports) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
        }
        w.write(LEVEL_0, '\n');
      }
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

import type { KubeObject } from '../../api/types.js';
import { formatLabelSelector } from '../../api/label-selector.js';
import { writeEvents } from './events.js';
import type { DescribeContext, Describer } from './types.js';
import { LEVEL_0, LEVEL_2, tabbed } from './writer.js';

export const podDisruptionBudgetDescriber: Describer = {
  describe(pdb: KubeObject, ctx: DescribeContext): string {
    const spec = pdb.spec ?? {};
    const status = pdb.status ?? {};
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${pdb.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${pdb.metadata.namespace ?? ''}\n`);
      if (spec.minAvailable != null) w.write(LEVEL_0, `Min available:\t${spec.minAvailable}\n`);
      else if (spec.maxUnavailable != null) w.write(LEVEL_0, `Max unavailable:\t${spec.maxUnavailable}\n`);
      w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
      w.write(LEVEL_0, 'Status:\n');
      w.write(LEVEL_2, `Allowed disruptions:\t${status.disruptionsAllowed ?? 0}\n`);
      w.write(LEVEL_2, `Current:\t${status.currentHealthy ?? 0}\n`);
      w.write(LEVEL_2, `Desired:\t${status.desiredHealthy ?? 0}\n`);
      w.write(LEVEL_2, `Total:\t${status.expectedPods ?? 0}\n`);
      writeEvents(w, ctx.events, ctx.now);
    });
  },
};

import type { KubeObject } from '../../api/types.js';
import { canonicalQuantity } from '../../api/quantity.js';
import type { Describer } from './types.js';
import { LEVEL_0, tabbed, type PrefixWriter } from './writer.js';

const COLUMNS = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];

/**
 * One row per limit and resource: min, max, default request, default limit, ratio, `-` where
 * unset. kubectl walks a Go map, so its row order varies; kctl sorts by resource name.
 */
function writeLimits(w: PrefixWriter, lr: KubeObject, prefix: string): void {
  for (const item of (lr.spec?.limits as any[] | undefined) ?? []) {
    const names = new Set<string>();
    for (const column of COLUMNS) for (const name of Object.keys(item[column] ?? {})) names.add(name);
    for (const name of [...names].sort()) {
      const cells = COLUMNS.map((column) => (item[column]?.[name] != null ? canonicalQuantity(item[column][name]) : '-'));
      w.write(LEVEL_0, `${prefix}${item.type ?? ''}\t${name}\t${cells.join('\t')}\n`);
    }
  }
}

/** `describe namespace`'s Resource Limits section (DescribeLimitRanges). */
export function writeNamespaceLimits(w: PrefixWriter, limitRanges: KubeObject[]): void {
  if (limitRanges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of limitRanges) writeLimits(w, lr, ' ');
}

export const limitRangeDescriber: Describer = {
  describe(lr: KubeObject): string {
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${lr.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${lr.metadata.namespace ?? ''}\n`);
      w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
      w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
      writeLimits(w, lr, '');
    });
  },
};

// PodDisruptionBudget, ResourceQuota and LimitRange columns, as Kubernetes' printers.
import { AGE_COLUMN, NAME_COLUMN, age, column, type ColumnPrinter } from './common.js';
import { canonicalQuantity } from '../../quantity.js';

export const podDisruptionBudgetColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  cells: (pdb, now) => [
    pdb.metadata.name,
    pdb.spec?.minAvailable != null ? String(pdb.spec.minAvailable) : 'N/A',
    pdb.spec?.maxUnavailable != null ? String(pdb.spec.maxUnavailable) : 'N/A',
    pdb.status?.disruptionsAllowed ?? 0,
    age(pdb, now),
  ],
};

/** `pods: 1/2, requests.cpu: 0/1`: every hard limit with its use, limits.* in the LIMIT column. */
export const resourceQuotaColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells: (quota, now) => {
    const hard: Record<string, string> = quota.status?.hard ?? {};
    const used: Record<string, string> = quota.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const name of Object.keys(hard).sort()) {
      const pieces = name.split('.');
      const text = `${name}: ${canonicalQuantity(used[name] ?? '0')}/${canonicalQuantity(hard[name])}`;
      (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(text);
    }
    return [quota.metadata.name, age(quota, now), requests.join(', '), limits.join(', ')];
  },
};

export const limitRangeColumns: ColumnPrinter = {
  columns: [NAME_COLUMN, column('Created At', 'date', AGE_COLUMN.description)],
  cells: (lr) => [lr.metadata.name, lr.metadata.creationTimestamp ?? ''],
};

// Lease columns (coordination.k8s.io).
import { AGE_COLUMN, NAME_COLUMN, age, column, type ColumnPrinter } from './common.js';

export const leaseColumns: ColumnPrinter = {
  columns: [NAME_COLUMN, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
  cells: (lease, now) => [lease.metadata.name, lease.spec?.holderIdentity ?? '', age(lease, now)],
};

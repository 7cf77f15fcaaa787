// CertificateSigningRequest columns (certificates.k8s.io), as Kubernetes prints them.
import { humanDuration } from '../duration.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, type ColumnPrinter } from './common.js';

function condition(csr: { status?: { conditions?: Array<{ type: string }>; certificate?: string } }): string {
  const types = (csr.status?.conditions ?? []).map((c) => c.type);
  if (csr.status?.certificate) types.push('Issued');
  return types.length ? types.join(',') : 'Pending';
}

export const certificateSigningRequestColumns: ColumnPrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('SignerName', 'string', 'The name of the signer that is requested to sign the certificate.'),
    column('Requestor', 'string', 'Name of the user who requested the certificate.'),
    column('RequestedDuration', 'string', 'The requested duration of the issued certificate.'),
    column('Condition', 'string', 'The condition of the certificate signing request.'),
  ],
  cells: (csr, now) => [
    csr.metadata.name,
    age(csr, now),
    csr.spec?.signerName ?? '',
    csr.spec?.username ?? '',
    csr.spec?.expirationSeconds ? humanDuration(csr.spec.expirationSeconds * 1000) : '<none>',
    condition(csr),
  ],
};

// The subject and validity of a PEM certificate, read with Node's crypto.
import { X509Certificate } from 'node:crypto';

export interface CertificateInfo {
  commonName: string;
  organizations: string[];
  notBefore: Date;
  notAfter: Date;
}

export function certificateInfo(certPem: string): CertificateInfo {
  const cert = new X509Certificate(certPem);
  // Node writes the subject one `KEY=value` per line.
  const fields = cert.subject.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
  return {
    commonName: fields.find(([k]) => k === 'CN')?.[1] ?? '',
    organizations: fields.filter(([k]) => k === 'O').map(([, v]) => v),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
  };
}

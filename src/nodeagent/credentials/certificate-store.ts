// Where a node agent keeps its client certificate: `<data dir>/pki/kubelet-client-current.pem`,
// certificate and key in one file (mode 0600), as the kubelet does. Written whole through a
// rename, so an agent killed mid-write finds the old pair or the new one, never half of each.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientCredentials {
  certPem: string;
  keyPem: string;
}

export function certificateFile(dataDir: string): string {
  return join(dataDir, 'pki', 'kubelet-client-current.pem');
}

export function readCredentials(dataDir: string): ClientCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(certificateFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/.exec(text)?.[0];
  const key = /-----BEGIN (EC |)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----\n?/.exec(text)?.[0];
  return cert && key ? { certPem: cert, keyPem: key } : undefined;
}

export function writeCredentials(dataDir: string, c: ClientCredentials): void {
  const file = certificateFile(dataDir);
  mkdirSync(join(dataDir, 'pki'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, c.certPem + c.keyPem, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Whether stored credentials can still be used: the CA's, for this user, not expired. */
export function usableCredentials(c: ClientCredentials, caPem: string | undefined, user: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(c.certPem);
    if (Date.parse(cert.validTo) <= now.getTime()) return false;
    if (!/(^|\n)CN=([^\n]*)/.test(cert.subject) || /(^|\n)CN=([^\n]*)/.exec(cert.subject)![2] !== user) return false;
    if (caPem) {
      const ca = new X509Certificate(caPem);
      if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

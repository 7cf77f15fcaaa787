// The cluster's PKI under $KCTL_HOME/pki, as kubeadm lays it out: a cluster CA (ca.crt, ca.key)
// that clients trust and that signs the API server's serving certificate (apiserver.crt/.key)
// and, through the daemon's CSR signer, every node agent's client certificate. `cluster up` and
// `kctl init` both go through here, so a cluster has one way to its certificates.
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP } from '../../api/cluster-network.js';
import { CliError } from '../errors.js';

export interface ClusterPki {
  caFile: string;
  caPem: string;
  certFile: string;
  keyFile: string;
}

const CA_DAYS = 3650;
const SERVING_DAYS = 365;
// A serving certificate this close to its end is renewed by the next `cluster up` or `init`.
const RENEW_BEFORE_MS = 30 * 86_400_000;

export function pkiPaths(home: string): { dir: string; caFile: string; caKeyFile: string; certFile: string; keyFile: string } {
  const dir = join(home, 'pki');
  return { dir, caFile: join(dir, 'ca.crt'), caKeyFile: join(dir, 'ca.key'), certFile: join(dir, 'apiserver.crt'), keyFile: join(dir, 'apiserver.key') };
}

/** The CA certificate clients trust; throws when the cluster has none yet. */
export function readClusterCA(home: string): string {
  const { caFile } = pkiPaths(home);
  try {
    return readFileSync(caFile, 'utf8');
  } catch {
    throw new CliError(`${caFile} is missing: this KCTL_HOME has no cluster CA (start a cluster with "kctl cluster up" or "kctl init")`);
  }
}

/** The names and addresses the API server is reached by: loopback, the `kubernetes` Service, and `addresses`. */
export function servingAltNames(addresses: string[]): { dnsNames: string[]; ips: string[] } {
  const ips = ['127.0.0.1', KUBERNETES_SERVICE_IP, ...addresses.filter((a) => isIPv4(a) && a !== '0.0.0.0')];
  return {
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${CLUSTER_DOMAIN}`],
    ips: [...new Set(ips)],
  };
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** Whether the serving certificate is the CA's, current, and valid for every address. */
function servingCertFits(certPem: string, caPem: string, ips: string[], now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (Date.parse(cert.validTo) - now.getTime() < RENEW_BEFORE_MS) return false;
    return ips.every((ip) => cert.checkIP(ip) !== undefined);
  } catch {
    return false;
  }
}

/**
 * Makes the CA once per KCTL_HOME, and a serving certificate signed by it whenever there is none
 * that fits (a certificate from before the CA, or one missing an address, is replaced).
 */
export async function ensureClusterPki(home: string, addresses: string[], now = new Date()): Promise<ClusterPki> {
  const p = pkiPaths(home);
  mkdirSync(p.dir, { recursive: true, mode: 0o700 });
  try {
    if (!existsSync(p.caFile) || !existsSync(p.caKeyFile)) {
      const { createCertificateAuthority } = await import('../../api/pki/x509.js');
      const ca = await createCertificateAuthority('kubernetes', CA_DAYS, now);
      writePrivate(p.caKeyFile, ca.keyPem);
      writeFileSync(p.caFile, ca.certPem);
    }
    const ca = { certPem: readFileSync(p.caFile, 'utf8'), keyPem: readFileSync(p.caKeyFile, 'utf8') };
    const altNames = servingAltNames(addresses);
    const current = existsSync(p.certFile) && existsSync(p.keyFile) ? readFileSync(p.certFile, 'utf8') : '';
    if (!servingCertFits(current, ca.certPem, altNames.ips, now)) {
      // Loaded only when a certificate is made: most `cluster up`s reuse theirs.
      const { generateKeyPair, issueCertificate, privateKeyPem } = await import('../../api/pki/x509.js');
      const keys = await generateKeyPair();
      const cert = await issueCertificate(ca, {
        publicKey: keys.publicKey,
        subject: { commonName: 'kube-apiserver' },
        altNames,
        use: 'server',
        notBefore: now,
        notAfter: new Date(now.getTime() + SERVING_DAYS * 86_400_000),
      });
      writePrivate(p.keyFile, await privateKeyPem(keys.privateKey));
      writeFileSync(p.certFile, cert);
    }
    return { caFile: p.caFile, caPem: ca.certPem, certFile: p.certFile, keyFile: p.keyFile };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot make the cluster's certificates in ${p.dir}: ${(err as Error).message}`);
  }
}

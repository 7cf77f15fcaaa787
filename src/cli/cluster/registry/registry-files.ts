// What the cluster's registry (Debian's docker-registry, the CNCF distribution registry 2.8) runs
// from, under $KCTL_HOME/registry: its configuration, a serving certificate from the cluster CA,
// an htpasswd file with one user and a password made once per KCTL_HOME, and its storage.
import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pkiPaths } from '../certificates.js';

/** The one user the registry knows; its password is in `credentials`. */
export const REGISTRY_USER = 'kctl';
export const DEFAULT_REGISTRY_PORT = 5000;
const SERVING_DAYS = 365;

export interface RegistryPaths {
  dir: string;
  config: string;
  htpasswd: string;
  /** `user:password`, readable by root only. */
  credentials: string;
  data: string;
  certFile: string;
  keyFile: string;
  log: string;
}

export function registryPaths(home: string): RegistryPaths {
  const dir = join(home, 'registry');
  const pki = pkiPaths(home).dir;
  return {
    dir,
    config: join(dir, 'config.yml'),
    htpasswd: join(dir, 'htpasswd'),
    credentials: join(dir, 'credentials'),
    data: join(dir, 'data'),
    certFile: join(pki, 'registry.crt'),
    keyFile: join(pki, 'registry.key'),
    log: join(home, 'logs', 'registry.log'),
  };
}

/** The registry's config.yml: TLS, htpasswd auth, filesystem storage with deletes allowed. */
export function registryConfig(p: RegistryPaths, listen: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  fields:',
    '    service: registry',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(p.data)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${JSON.stringify(listen)}`,
    '  tls:',
    `    certificate: ${JSON.stringify(p.certFile)}`,
    `    key: ${JSON.stringify(p.keyFile)}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
    'auth:',
    '  htpasswd:',
    '    realm: kctl-registry',
    `    path: ${JSON.stringify(p.htpasswd)}`,
    '',
  ].join('\n');
}

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** The registry's user and password; throws when this KCTL_HOME has no registry. */
export function readRegistryCredentials(p: RegistryPaths): RegistryCredentials {
  const text = readFileSync(p.credentials, 'utf8').trim();
  const colon = text.indexOf(':');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** A bcrypt htpasswd line (the only hash distribution accepts) from apache2-utils' htpasswd. */
async function htpasswdLine(username: string, password: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('htpasswd', ['-nbB', username, password]);
    return `${stdout.trim()}\n`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('htpasswd is not installed (Debian: apt-get install apache2-utils; scripts/ensure-docker.sh does it)');
    throw err;
  }
}

/** Whether `certPem` is the CA's, valid for a month more, for `ip`. */
function certFits(certPem: string, caPem: string, ip: string): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey) && Date.parse(cert.validTo) - Date.now() > 30 * 86_400_000 && cert.checkIP(ip) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Makes what is missing: the password and htpasswd (once; kept across restarts so pull secrets
 * stay valid), a serving certificate for `host` signed by the cluster CA, and the configuration.
 */
export async function ensureRegistryFiles(home: string, host: string, port: number): Promise<RegistryPaths> {
  const p = registryPaths(home);
  mkdirSync(p.data, { recursive: true, mode: 0o700 });
  chmodSync(p.dir, 0o700);
  if (!existsSync(p.credentials) || !existsSync(p.htpasswd)) {
    const password = randomBytes(18).toString('base64url');
    writePrivate(p.htpasswd, await htpasswdLine(REGISTRY_USER, password));
    writePrivate(p.credentials, `${REGISTRY_USER}:${password}\n`);
  }
  const pki = pkiPaths(home);
  const caPem = readFileSync(pki.caFile, 'utf8');
  const current = existsSync(p.certFile) && existsSync(p.keyFile) ? readFileSync(p.certFile, 'utf8') : '';
  if (!certFits(current, caPem, host)) {
    const { generateKeyPair, issueCertificate, privateKeyPem } = await import('../../../api/pki/x509.js');
    const keys = await generateKeyPair();
    const now = new Date();
    const cert = await issueCertificate(
      { certPem: caPem, keyPem: readFileSync(pki.caKeyFile, 'utf8') },
      {
        publicKey: keys.publicKey,
        subject: { commonName: 'kctl-registry' },
        altNames: { dnsNames: ['localhost'], ips: [...new Set([host, '127.0.0.1'])] },
        use: 'server',
        notBefore: now,
        notAfter: new Date(now.getTime() + SERVING_DAYS * 86_400_000),
      },
    );
    writePrivate(p.keyFile, await privateKeyPem(keys.privateKey));
    writeFileSync(p.certFile, cert);
  }
  writeFileSync(p.config, registryConfig(p, `${host}:${port}`));
  return p;
}

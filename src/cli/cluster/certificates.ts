// The API server's serving certificate. kubectl only sends a bearer token over TLS, so a local
// cluster serves HTTPS with a self-signed certificate that the kubeconfig trusts as its CA.
import { CLUSTER_DOMAIN, KUBERNETES_SERVICE_IP } from '../../api/cluster-network.js';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../errors.js';

export interface ServingCert {
  certFile: string;
  keyFile: string;
  certPem: string;
}

/** Creates the certificate once per KCTL_HOME (EC P-256, valid for localhost and the bind address). */
export function ensureServingCert(home: string, bindAddress: string): ServingCert {
  const dir = join(home, 'pki');
  const certFile = join(dir, 'apiserver.crt');
  const keyFile = join(dir, 'apiserver.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The `kubernetes` Service's names and address too: pods reach the API server through it.
    const sans = [
      'DNS:localhost',
      'IP:127.0.0.1',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      `DNS:kubernetes.default.svc.${CLUSTER_DOMAIN}`,
      `IP:${KUBERNETES_SERVICE_IP}`,
    ];
    if (bindAddress !== '127.0.0.1' && bindAddress !== '0.0.0.0' && /^[\d.]+$/.test(bindAddress)) sans.push(`IP:${bindAddress}`);
    try {
      execFileSync(
        'openssl',
        [
          'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
          '-days', '3650', '-subj', '/CN=kctl-apiserver',
          '-addext', `subjectAltName=${sans.join(',')}`,
          '-addext', 'basicConstraints=critical,CA:TRUE',
          '-keyout', keyFile, '-out', certFile,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'openssl is not installed (apt-get install openssl)' : String((err as { stderr?: Buffer }).stderr ?? err);
      throw new CliError(`cannot create the API server certificate: ${why}`);
    }
    chmodSync(keyFile, 0o600);
  }
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8') };
}

// The authorities a connection trusts when the kubeconfig names none. bin/kctl starts Node on
// OpenSSL's store with no certificate file and without NODE_EXTRA_CA_CERTS (both spare every
// command the parsing of bundles it does not use); a connection that needs default roots gets what
// Node would have trusted, its own roots and NODE_EXTRA_CA_CERTS' certificates, from here.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/** The PEM certificates to trust for want of the kubeconfig's, or undefined: Node's defaults serve. */
export function defaultTrust(): string | undefined {
  if (!process.execArgv.includes('--use-openssl-ca')) return undefined;
  const trusted = [...rootCertificates];
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (file) {
    try {
      trusted.push(readFileSync(file, 'utf8'));
    } catch (err) {
      // What Node does with a file it cannot read: this warning, then its roots alone.
      process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(err as Error).message}`);
    }
  }
  return trusted.join('\n');
}

// kubeadm's `--discovery-token-ca-cert-hash sha256:<hex>`: the SHA-256 of the CA certificate's
// DER-encoded SubjectPublicKeyInfo, so a joining machine can pin the CA it is handed insecurely.
import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';

const HASH_RE = /^sha256:([0-9a-f]{64})$/;

/** `sha256:<64 hex>` of the first certificate in caPem. */
export function caCertHash(caPem: string): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

/** The hash in canonical form; throws kubeadm-like text for anything else. */
export function parseCAHash(text: string): string {
  const t = text.trim().toLowerCase();
  if (HASH_RE.test(t)) return t;
  if (/^[0-9a-f]{64}$/.test(t)) throw new Error(`the CA cert hash "${text}" has no format prefix: write it as sha256:${t}`);
  throw new Error(`the CA cert hash "${text}" is not of the form sha256:<64 hex digits> (it is printed by "kctl init")`);
}

/** Whether the CA certificate's public key hashes to one of the pinned hashes. */
export function caMatchesHash(caPem: string, pinned: string): boolean {
  const a = Buffer.from(caCertHash(caPem));
  const b = Buffer.from(pinned);
  return a.length === b.length && timingSafeEqual(a, b);
}

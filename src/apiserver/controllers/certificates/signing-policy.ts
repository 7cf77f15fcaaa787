// How long a certificate the cluster signer issues is valid: what the request asked for
// (spec.expirationSeconds) but never longer than --cluster-signing-duration, as Kubernetes'
// signer decides. Long certificates start 5 minutes early against clock skew between machines;
// short ones (under Kubernetes' 8-hour "short" bound) start now, so their whole life is usable.
const BACKDATE_MS = 5 * 60_000;
const SHORT_MS = 8 * 3_600_000;

export function certificateValidity(now: Date, expirationSeconds: number | undefined, maxDurationMs: number): { notBefore: Date; notAfter: Date } {
  const ttl = expirationSeconds ? Math.min(expirationSeconds * 1000, maxDurationMs) : maxDurationMs;
  const notBefore = new Date(now.getTime() - (ttl < SHORT_MS ? 0 : BACKDATE_MS));
  return { notBefore, notAfter: new Date(now.getTime() + ttl) };
}

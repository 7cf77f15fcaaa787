// The detached JWS (RFC 7515, HS256) Kubernetes' bootstrap signer puts on the kube-public/cluster-info
// ConfigMap for each signing bootstrap token: `<protected header>..<signature>` over the
// kubeconfig, keyed by the token's secret with the token id as `kid`. A joining machine that
// knows the token can check that whoever handed it cluster-info knows the token too.
import { createHmac, timingSafeEqual } from 'node:crypto';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function sign(header: string, content: string, tokenSecret: string): string {
  return createHmac('sha256', tokenSecret).update(`${header}.${b64url(content)}`).digest('base64url');
}

/** `header..signature`: the compact JWS with its payload left out. */
export function computeDetachedJWS(content: string, tokenId: string, tokenSecret: string): string {
  // go-jose writes the header's keys sorted: {"alg":"HS256","kid":"<id>"}.
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }));
  return `${header}..${sign(header, content, tokenSecret)}`;
}

/** Whether detached is a valid HS256 signature of content by this token (its header names the token). */
export function verifyDetachedJWS(detached: string, content: string, tokenId: string, tokenSecret: string): boolean {
  const parts = detached.split('.');
  if (parts.length !== 3 || parts[1] !== '') return false;
  let header: { alg?: string; kid?: string };
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (header.alg !== 'HS256' || header.kid !== tokenId) return false;
  const expected = Buffer.from(sign(parts[0], content, tokenSecret));
  const given = Buffer.from(parts[2]);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

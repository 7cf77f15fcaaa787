// Compact JWS (JWT) signing and verification with ES256, the algorithm of the daemon's service
// account key. Only what service account tokens need: one algorithm, one key, no JWK sets.
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

const ALGORITHM = 'ES256';

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Kubernetes' key id: the base64url SHA-256 of the public key's DER (PKIX) encoding. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return b64url(createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest());
}

export function signJwt(claims: object, privateKey: KeyObject): string {
  const header: JwtHeader = { alg: ALGORITHM, kid: keyId(privateKey) };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  // JWS wants the raw r||s form of an ECDSA signature, not DER.
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${b64url(signature)}`;
}

/** Whether a bearer token has a JWT's shape (so other authenticators can be tried first). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** The claims of a token signed by this key with ES256; undefined for anything else. */
export function verifyJwt(token: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [h, p, s] = token.split('.');
  const header = decodePart(h) as JwtHeader | undefined;
  // The algorithm is the key's, never the token's choice ("alg": "none" and the like are refused).
  if (!header || header.alg !== ALGORITHM) return undefined;
  let ok: boolean;
  try {
    ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  } catch {
    ok = false; // a signature of the wrong size for the curve
  }
  if (!ok) return undefined;
  const claims = decodePart(p);
  return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
}

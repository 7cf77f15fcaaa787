// X.509 for the cluster's own PKI: the cluster CA, certificates it issues (the API server's
// serving certificate, node agents' client certificates), and PKCS #10 certificate signing
// requests. Node's crypto parses certificates but cannot make them or CSRs, so @peculiar/x509
// (over Node's WebCrypto) builds and parses them. Keys are EC P-256 throughout.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, randomBytes, verify as cryptoVerify, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const SUBJECT_ALT_NAME = '2.5.29.17';

export type KeyPair = CryptoKeyPair;

export interface Subject {
  commonName: string;
  organizations?: string[];
}

export interface SubjectAltNames {
  dnsNames?: string[];
  ips?: string[];
}

export async function generateKeyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify'])) as KeyPair;
}

function pem(label: string, der: ArrayBuffer | Buffer): string {
  const lines = Buffer.from(der as ArrayBuffer).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
}

/** A P-256 private key from PEM (PKCS #8 or OpenSSL's SEC 1 "EC PRIVATE KEY"), and its public half. */
export async function importKeyPair(keyPem: string): Promise<KeyPair> {
  const key = createPrivateKey(keyPem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the key is not an EC P-256 key');
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), EC_KEY, true, ['sign']);
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const publicKey = await webcrypto.subtle.importKey('spki', spki, EC_KEY, true, ['verify']);
  return { privateKey, publicKey } as unknown as KeyPair;
}

function jsonName(s: Subject): x509.JsonName {
  return [{ CN: [s.commonName] }, ...(s.organizations ?? []).map((o) => ({ O: [o] }))];
}

function serialNumber(): string {
  // Positive (high bit clear), 128 bits, as RFC 5280 recommends for unpredictability.
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

/** A self-signed CA certificate with a new key, valid for `days`. */
export async function createCertificateAuthority(commonName: string, days: number, now = new Date()): Promise<CertificateAuthority> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: jsonName({ commonName }),
    notBefore: now,
    notAfter: new Date(now.getTime() + days * 86_400_000),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
}

export type CertificateUse = 'server' | 'client';

export interface IssueRequest {
  /** The subject's public key: a CryptoKey, or the DER/PEM SubjectPublicKeyInfo. */
  publicKey: CryptoKey | x509.PublicKey;
  subject: Subject;
  altNames?: SubjectAltNames;
  use: CertificateUse;
  notBefore: Date;
  notAfter: Date;
}

/** A certificate signed by the CA (its certificate and key in PEM), as PEM. */
export async function issueCertificate(ca: CertificateAuthority, req: IssueRequest): Promise<string> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKeys = await importKeyPair(ca.keyPem);
  const names: x509.JsonGeneralName[] = [
    ...(req.altNames?.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(req.altNames?.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usages = req.use === 'server' ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.digitalSignature;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: jsonName(req.subject),
    issuer: caCert.subjectName,
    notBefore: req.notBefore,
    // Never past the CA's own end.
    notAfter: req.notAfter > caCert.notAfter ? caCert.notAfter : req.notAfter,
    signingAlgorithm: SIGNING,
    publicKey: req.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usages, true),
      new x509.ExtendedKeyUsageExtension([req.use === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ...(names.length ? [new x509.SubjectAlternativeNameExtension(names)] : []),
    ],
  });
  return cert.toString('pem') + '\n';
}

/** A PKCS #10 request for `subject`, signed with the pair's private key, as PEM. */
export async function createCertificateRequest(keys: KeyPair, subject: Subject): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: jsonName(subject), keys, signingAlgorithm: SIGNING });
  return csr.toString('pem') + '\n';
}

/** What a certificate signing request asks for, once its self-signature has been checked. */
export interface ParsedCertificateRequest {
  commonName: string;
  /** Every O attribute, in order. */
  organizations: string[];
  dnsNames: string[];
  ips: string[];
  emails: string[];
  uris: string[];
  publicKey: x509.PublicKey;
}

// DER: the tag and length header at `at`, and where the value starts and ends.
function derElement(der: Buffer, at: number): { start: number; end: number; next: number } {
  if (at + 2 > der.length) throw new Error('truncated DER');
  let len = der[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i];
    start += n;
  }
  if (start + len > der.length) throw new Error('truncated DER');
  return { start, end: start + len, next: start + len };
}

const HASH_OF: Record<string, string | null> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/**
 * Parses one PEM `CERTIFICATE REQUEST` block and checks that it is signed by the key it carries
 * (synchronously, with Node's crypto, so an API server's validation can call it). Throws an
 * Error saying what is wrong.
 */
export function parseCertificateRequest(text: string): ParsedCertificateRequest {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) throw new Error('PEM block type must be CERTIFICATE REQUEST');
  if (m[1] !== 'CERTIFICATE REQUEST') throw new Error(`PEM block type must be CERTIFICATE REQUEST, got ${m[1]}`);
  const der = Buffer.from(m[2].replace(/\s+/g, ''), 'base64');
  let csr: x509.Pkcs10CertificateRequest;
  let info: Buffer;
  let signature: Buffer;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
    // CertificationRequest ::= SEQUENCE { info, signatureAlgorithm, signature BIT STRING }
    const outer = derElement(der, 0);
    const infoEl = derElement(der, outer.start);
    info = der.subarray(outer.start, infoEl.end);
    const algEl = derElement(der, infoEl.next);
    const sigEl = derElement(der, algEl.next);
    signature = der.subarray(sigEl.start + 1, sigEl.end);
  } catch (err) {
    throw new Error(`cannot parse the certificate request: ${(err as Error).message}`);
  }
  const alg = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
  let valid = false;
  try {
    const key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    const hash = alg.name === 'Ed25519' ? null : HASH_OF[alg.hash?.name ?? ''];
    if (hash !== undefined) valid = cryptoVerify(hash, info, key, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new Error(`the certificate request's signature does not verify with its own public key (${alg.name})`);
  const names = (csr.getExtension(SUBJECT_ALT_NAME) as x509.SubjectAlternativeNameExtension | null)?.names.items ?? [];
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);
  return {
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    organizations: csr.subjectName.getField('O'),
    dnsNames: of('dns'),
    ips: of('ip'),
    emails: of('email'),
    uris: of('url'),
    publicKey: csr.publicKey,
  };
}

export interface CertificateInfo {
  commonName: string;
  organizations: string[];
  notBefore: Date;
  notAfter: Date;
}

/** The subject and validity of a PEM certificate. */
export function certificateInfo(certPem: string): CertificateInfo {
  const cert = new x509.X509Certificate(certPem);
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    organizations: cert.subjectName.getField('O'),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

// Making X.509 for the cluster's own PKI: the cluster CA and the certificates it issues (the API
// server's serving certificate, node agents' client certificates). Node's crypto reads certificates but cannot make them, so @peculiar/x509
// (over Node's WebCrypto) builds them. It takes a few hundred milliseconds to load, so callers
// import this module when they sign, never on a start-up path. Keys are EC P-256.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

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
  /** The subject's public key: a CryptoKey, or its DER SubjectPublicKeyInfo. */
  publicKey: CryptoKey | Buffer;
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
    publicKey: Buffer.isBuffer(req.publicKey) ? new Uint8Array(req.publicKey) : req.publicKey,
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

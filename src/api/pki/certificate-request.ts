// Reading a PKCS #10 certificate signing request (RFC 2986): its subject (CN, O), the subject
// alternative names it asks for, its public key, and whether it is signed by that key. A small DER
// reader and Node's crypto, synchronous, so the API server validates CSRs without loading an X.509
// library (that one is loaded only to sign: see x509.ts).
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** What a certificate signing request asks for, once its self-signature has been checked. */
export interface ParsedCertificateRequest {
  commonName: string;
  /** Every O attribute, in order. */
  organizations: string[];
  dnsNames: string[];
  ips: string[];
  emails: string[];
  uris: string[];
  /** DER SubjectPublicKeyInfo. */
  publicKeyDer: Buffer;
}

interface Element {
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  value: Buffer;
}

function element(der: Buffer, at: number): Element & { next: number } {
  if (at + 2 > der.length) throw new Error('truncated DER');
  const tag = der[at];
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
  return { tag, raw: der.subarray(at, start + len), value: der.subarray(start, start + len), next: start + len };
}

function children(value: Buffer): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < value.length; ) {
    const e = element(value, at);
    out.push(e);
    at = e.next;
  }
  return out;
}

function oid(value: Buffer): string {
  const parts = [Math.floor(value[0] / 40), value[0] % 40];
  let n = 0;
  for (const b of value.subarray(1)) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

const CN = '2.5.4.3';
const O = '2.5.4.10';
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SUBJECT_ALT_NAME = '2.5.29.17';
// The hash each signature algorithm uses; null: the algorithm has its own (Ed25519).
const SIGNATURE_HASH: Record<string, string | null> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.3.101.112': null,
};

function ipText(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length === 16) return (b.toString('hex').match(/.{4}/g) ?? []).map((h) => h.replace(/^0+(?=.)/, '')).join(':');
  throw new Error('an IP address SAN is neither 4 nor 16 bytes');
}

/**
 * Parses one PEM `CERTIFICATE REQUEST` block and checks that it is signed by the key it carries.
 * Throws an Error saying what is wrong.
 */
export function parseCertificateRequest(text: string): ParsedCertificateRequest {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) throw new Error('PEM block type must be CERTIFICATE REQUEST');
  if (m[1] !== 'CERTIFICATE REQUEST') throw new Error(`PEM block type must be CERTIFICATE REQUEST, got ${m[1]}`);
  const der = Buffer.from(m[2].replace(/\s+/g, ''), 'base64');
  const out: ParsedCertificateRequest = { commonName: '', organizations: [], dnsNames: [], ips: [], emails: [], uris: [], publicKeyDer: Buffer.alloc(0) };
  let info: Element;
  let algorithm: string;
  let signature: Buffer;
  let key: KeyObject;
  try {
    const outer = element(der, 0);
    [info] = children(outer.value);
    const [, alg, sig] = children(outer.value);
    algorithm = oid(children(alg.value)[0].value);
    signature = sig.value.subarray(1);
    const [, subject, spki, attributes] = children(info.value);
    for (const rdn of children(subject.value)) {
      for (const atv of children(rdn.value)) {
        const [type, value] = children(atv.value);
        const t = oid(type.value);
        if (t === CN && !out.commonName) out.commonName = value.value.toString('utf8');
        else if (t === O) out.organizations.push(value.value.toString('utf8'));
      }
    }
    out.publicKeyDer = Buffer.from(spki.raw);
    key = createPublicKey({ key: out.publicKeyDer, format: 'der', type: 'spki' });
    for (const attr of attributes ? children(attributes.value) : []) {
      const [type, values] = children(attr.value);
      if (oid(type.value) !== EXTENSION_REQUEST) continue;
      for (const extensions of children(values.value)) {
        for (const ext of children(extensions.value)) {
          const parts = children(ext.value);
          if (oid(parts[0].value) !== SUBJECT_ALT_NAME) continue;
          const names = element(parts[parts.length - 1].value, 0);
          for (const name of children(names.value)) {
            const v = name.value;
            if (name.tag === 0x81) out.emails.push(v.toString('latin1'));
            else if (name.tag === 0x82) out.dnsNames.push(v.toString('latin1'));
            else if (name.tag === 0x86) out.uris.push(v.toString('latin1'));
            else if (name.tag === 0x87) out.ips.push(ipText(v));
          }
        }
      }
    }
  } catch (err) {
    throw new Error(`cannot parse the certificate request: ${(err as Error).message}`);
  }
  const hash = SIGNATURE_HASH[algorithm];
  let valid = false;
  try {
    valid = hash !== undefined && verify(hash, info.raw, key, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new Error(`the certificate request's signature does not verify with its own public key (algorithm ${algorithm})`);
  return out;
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

function derOid(text: string): Buffer {
  const [a, b, ...rest] = text.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/**
 * A PKCS #10 request (PEM) for CN `commonName` and O `organizations`, signed with an EC P-256
 * private key: what a node agent sends, made with Node's crypto alone.
 */
export function createCertificateRequest(privateKey: KeyObject, commonName: string, organizations: string[]): string {
  const rdn = (type: string, value: string) => der(0x31, der(0x30, derOid(type), der(0x0c, Buffer.from(value, 'utf8'))));
  const subject = der(0x30, rdn(CN, commonName), ...organizations.map((o) => rdn(O, o)));
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const info = der(0x30, der(0x02, Buffer.from([0])), subject, spki, Buffer.from([0xa0, 0x00]));
  const signature = sign('sha256', info, privateKey);
  const request = der(0x30, info, der(0x30, derOid(ECDSA_WITH_SHA256)), der(0x03, Buffer.from([0]), signature));
  const lines = request.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

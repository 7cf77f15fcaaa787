// Encryption at rest of stored values, as kube-apiserver's storage transformers do it: the first
// provider of a resource's list writes, every provider reads (the prefix of a stored value says
// which one made it), so keys rotate without a flag day. Values are the object's JSON for the
// identity provider, and for the others
//   k8s:enc:<provider>:v1:<key name>:<base64 of the provider's bytes>
// (Kubernetes stores the bytes raw in etcd; the store's value column is text, hence base64.)
//   aescbc:    IV (16 bytes) + AES-CBC ciphertext, PKCS#7 padded
//   aesgcm:    nonce (12 bytes) + AES-GCM ciphertext + tag (16 bytes); the storage key is bound in
//              as additional data, so a value cannot be moved under another key
//   secretbox: nonce (24 bytes) + XSalsa20-Poly1305 box (NaCl secretbox)
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa';

export type ProviderType = 'aescbc' | 'aesgcm' | 'secretbox' | 'identity';

export interface ProviderKey {
  name: string;
  secret: Buffer;
}

export interface ReadValue {
  value: string;
  /** Not written by the current write provider and key: the next write (even a no-op) rewrites it. */
  stale: boolean;
}

export class TransformError extends Error {}

interface Cipher {
  encrypt(plain: Buffer, key: Buffer, context: string): Buffer;
  decrypt(sealed: Buffer, key: Buffer, context: string): Buffer;
}

const CIPHERS: Record<Exclude<ProviderType, 'identity'>, Cipher> = {
  aescbc: {
    encrypt(plain, key) {
      const iv = randomBytes(16);
      const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
      return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
    },
    decrypt(sealed, key) {
      const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, sealed.subarray(0, 16));
      return Buffer.concat([decipher.update(sealed.subarray(16)), decipher.final()]);
    },
  },
  aesgcm: {
    encrypt(plain, key, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv(`aes-${key.length * 8}-gcm`, key, nonce) as CipherGCM;
      cipher.setAAD(Buffer.from(context));
      return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    decrypt(sealed, key, context) {
      const decipher = createDecipheriv(`aes-${key.length * 8}-gcm`, key, sealed.subarray(0, 12)) as DecipherGCM;
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    },
  },
  secretbox: {
    encrypt(plain, key) {
      const nonce = randomBytes(24);
      return Buffer.concat([nonce, xsalsa20poly1305(key, nonce).encrypt(plain)]);
    },
    decrypt(sealed, key) {
      return Buffer.from(xsalsa20poly1305(key, sealed.subarray(0, 24)).decrypt(sealed.subarray(24)));
    },
  },
};

export interface Provider {
  type: ProviderType;
  /** For identity, none. The first key writes; all read. */
  keys: ProviderKey[];
}

function prefixOf(type: ProviderType, keyName: string): string {
  return `k8s:enc:${type}:v1:${keyName}:`;
}

/** Reads and writes the values of one group of resources with an ordered list of providers. */
export class ValueTransformer {
  private readonly readers = new Map<string, { type: Exclude<ProviderType, 'identity'>; key: ProviderKey }>();
  private readonly readsPlain: boolean;

  constructor(private readonly providers: Provider[]) {
    if (providers.length === 0) throw new TransformError('a resource needs at least one provider');
    for (const p of providers) {
      if (p.type === 'identity') continue;
      for (const key of p.keys) this.readers.set(prefixOf(p.type, key.name), { type: p.type, key });
    }
    this.readsPlain = providers.some((p) => p.type === 'identity');
  }

  /** Whether values are written encrypted. */
  get encrypts(): boolean {
    return this.providers[0].type !== 'identity';
  }

  toStorage(storageKey: string, value: string): string {
    const writer = this.providers[0];
    if (writer.type === 'identity') return value;
    const key = writer.keys[0];
    const sealed = CIPHERS[writer.type].encrypt(Buffer.from(value, 'utf8'), key.secret, storageKey);
    return prefixOf(writer.type, key.name) + sealed.toString('base64');
  }

  fromStorage(storageKey: string, stored: string): ReadValue {
    if (!stored.startsWith('k8s:enc:')) {
      // Written before encryption was turned on: readable as long as identity is still listed, as
      // Kubernetes requires; without it the value is refused.
      if (!this.readsPlain) throw new TransformError(`${storageKey} is stored unencrypted and no identity provider is configured`);
      return { value: stored, stale: this.encrypts };
    }
    const end = stored.indexOf(':', stored.indexOf(':v1:') + 4);
    const prefix = stored.slice(0, end + 1);
    const reader = this.readers.get(prefix);
    if (!reader) throw new TransformError(`${storageKey} was encrypted with ${prefix.slice(8, -1)}, which no configured provider has`);
    let plain: Buffer;
    try {
      plain = CIPHERS[reader.type].decrypt(Buffer.from(stored.slice(prefix.length), 'base64'), reader.key.secret, storageKey);
    } catch (err) {
      throw new TransformError(`${storageKey} cannot be decrypted with ${prefix.slice(8, -1)}: ${(err as Error).message}`);
    }
    const writer = this.providers[0];
    const stale = writer.type === 'identity' || prefix !== prefixOf(writer.type, writer.keys[0].name);
    return { value: plain.toString('utf8'), stale };
  }
}

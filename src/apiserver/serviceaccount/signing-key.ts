// The key service account tokens are signed with: made at the daemon's first start and kept in
// DATA_DIR/pki/sa.key, so tokens (and the tokens mounted in pods) survive daemon restarts.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Reads the PEM private key at `file`, or makes an EC P-256 one there (mode 0600) when there is none. */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // wx: two daemons starting at once must not overwrite each other's key.
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const privateKey = createPrivateKey(readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${file} is not an EC P-256 private key (service account tokens are signed with ES256)`);
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

// Secrets: type Opaque by default, stringData folded into data (base64) on every write as the API
// does, valid data keys and base64 values, the keys each well-known type needs, and immutability.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isConfigMapKey } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { immutable, invalid, invalidEach, required, tooLong } from './field-errors.js';
import { base64Error, MAX_DATA_SIZE, validateImmutableData } from './config-data.js';

/** What Kubernetes shows instead of a secret's content in a message. */
const REDACTED = '<secret contents redacted>';

// The keys each well-known secret type must have.
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function applyDefaults(secret: KubeObject): void {
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    const data = (secret.data ??= {});
    for (const [key, value] of Object.entries<string>(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
    delete secret.stringData;
  }
}

function validate(secret: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const data: Record<string, string> = secret.data ?? {};
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    causes.push(...invalidEach(`data[${key}]`, key, isConfigMapKey(key)));
    const error = base64Error(value);
    if (error) causes.push(invalid(`data[${key}]`, REDACTED, error));
    else size += Buffer.byteLength(value, 'base64');
  }
  if (size > MAX_DATA_SIZE) causes.push(tooLong('data', MAX_DATA_SIZE));
  const type = secret.type;
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) causes.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    causes.push(required('data[username]'), required('data[password]'));
  }
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
    causes.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  return causes;
}

export const secretStrategy: Strategy = {
  applyDefaults,
  validate,
  validateUpdate: (secret, old) => [
    ...(secret.type !== old.type ? [immutable('type', secret.type)] : []),
    ...validateImmutableData(secret, old, ['data']),
  ],
};

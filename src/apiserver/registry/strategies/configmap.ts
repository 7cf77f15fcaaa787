// ConfigMaps: keys that can be file names, no key in both data and binaryData, base64 binary
// data, a size limit, and immutability once `immutable` is set.
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isConfigMapKey } from '../../../api/validation/names.js';
import type { Strategy } from './strategy.js';
import { invalid, invalidEach, tooLong } from './field-errors.js';
import { base64Error, MAX_DATA_SIZE, validateImmutableData } from './config-data.js';

function validate(configMap: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const data: Record<string, string> = configMap.data ?? {};
  const binaryData: Record<string, string> = configMap.binaryData ?? {};
  let size = 0;
  for (const [key, value] of Object.entries(data)) {
    size += Buffer.byteLength(value, 'utf8');
    causes.push(...invalidEach(`data[${key}]`, key, isConfigMapKey(key)));
    if (key in binaryData) causes.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  for (const [key, value] of Object.entries(binaryData)) {
    causes.push(...invalidEach(`binaryData[${key}]`, key, isConfigMapKey(key)));
    if (key in data) causes.push(invalid(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    const error = base64Error(value);
    if (error) causes.push(invalid(`binaryData[${key}]`, value, error));
    else size += Buffer.byteLength(value, 'base64');
  }
  // Kubernetes reports the size of a ConfigMap against the whole object: an empty field.
  if (size > MAX_DATA_SIZE) causes.push(tooLong('', MAX_DATA_SIZE));
  return causes;
}

export const configMapStrategy: Strategy = {
  applyDefaults() {},
  validate,
  validateUpdate: (configMap, old) => validateImmutableData(configMap, old, ['data', 'binaryData']),
};

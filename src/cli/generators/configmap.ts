// The ConfigMap `kubectl create configmap` builds: keys from --from-file (directories too), then
// --from-literal, then --from-env-file; text that is not UTF-8 goes to binaryData; --append-hash
// suffixes the name with the content hash.
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { configMapHash } from './content-hash.js';
import { collectData, configMapKeyRules, utf8Text, type DataSource } from './data-sources.js';
import { sortedMap, typedObject } from './typed-object.js';

export interface DataFlags {
  name: string;
  namespace?: string;
  fromFile: string[];
  fromLiteral: string[];
  fromEnvFile: string[];
  appendHash: boolean;
}

export function checkEnvFileAlone(f: DataFlags): void {
  if (f.fromEnvFile.length && (f.fromFile.length || f.fromLiteral.length)) {
    throw new CliError('from-env-file cannot be combined with from-file or from-literal');
  }
}

/** A ConfigMap with the data of the entries (bytes that are not UTF-8 go to binaryData). */
export function configMapOf(name: string, namespace: string | undefined, entries: [string, Buffer][]): KubeObject {
  const cm = typedObject('v1', 'ConfigMap', name, namespace);
  const data: [string, string][] = [];
  const binary: [string, string][] = [];
  for (const [key, value] of entries) {
    const text = utf8Text(value);
    if (text === undefined) binary.push([key, value.toString('base64')]);
    else data.push([key, text]);
  }
  if (data.length) cm.data = sortedMap(data);
  if (binary.length) cm.binaryData = sortedMap(binary);
  return cm;
}

export function configMapFor(f: DataFlags): KubeObject {
  checkEnvFileAlone(f);
  const sources: DataSource[] = [
    ...f.fromFile.map((spec) => ({ kind: 'file' as const, spec })),
    ...f.fromLiteral.map((spec) => ({ kind: 'literal' as const, spec })),
    ...f.fromEnvFile.map((spec) => ({ kind: 'env-file' as const, spec })),
  ];
  const cm = configMapOf(f.name, f.namespace, collectData(sources, configMapKeyRules(f.name)));
  if (f.appendHash) cm.metadata.name = `${f.name}-${configMapHash({ ...cm, data: cm.data ?? {} })}`;
  return cm;
}

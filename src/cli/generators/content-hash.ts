// The name suffix `--append-hash` and kustomize's generators give a ConfigMap or Secret: the first
// ten hex digits of the SHA-256 of its content, with the letters and digits that could spell words
// swapped (kubectl's hash.ConfigMapHash / SecretHash, kustomize's hasher), so a changed content
// gets a new name and the workloads that reference it roll.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { marshalJson } from '../../api/printers/yaml-json.js';

const SWAPS: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };

export function encodeHash(hex: string): string {
  return [...hex.slice(0, 10)].map((c) => SWAPS[c] ?? c).join('');
}

function hashOf(value: Record<string, unknown>): string {
  return encodeHash(createHash('sha256').update(marshalJson(value)).digest('hex'));
}

export function configMapHash(cm: KubeObject): string {
  const encoded: Record<string, unknown> = { kind: 'ConfigMap', name: cm.metadata.name, data: cm.data ?? null };
  if (cm.immutable !== undefined) encoded.immutable = cm.immutable;
  if (cm.binaryData && Object.keys(cm.binaryData).length) encoded.binaryData = cm.binaryData;
  return hashOf(encoded);
}

export function secretHash(secret: KubeObject): string {
  const encoded: Record<string, unknown> = { kind: 'Secret', type: secret.type ?? '', name: secret.metadata.name, data: secret.data ?? null };
  if (secret.immutable !== undefined) encoded.immutable = secret.immutable;
  return hashOf(encoded);
}

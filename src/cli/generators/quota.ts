// The ResourceQuota `kubectl create quota NAME --hard=cpu=1,pods=2 --scopes=BestEffort` builds.
import { Quantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/types.js';
import { CliError } from '../errors.js';
import { sortedMap, typedObject } from './typed-object.js';

const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** `resource=quantity,...`, each quantity in its canonical form. */
export function parseHard(spec: string): Record<string, string> {
  const out: [string, string][] = [];
  for (const statement of spec.split(',')) {
    const parts = statement.split('=');
    if (parts.length !== 2) throw new CliError(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    const q = Quantity.parse(parts[1]);
    if (!q) throw new CliError(QUANTITY_ERROR);
    out.push([parts[0], q.toString()]);
  }
  return sortedMap(out);
}

export function quotaFor(name: string, namespace: string | undefined, hard: string, scopes: string): KubeObject {
  const quota = typedObject('v1', 'ResourceQuota', name, namespace);
  const spec: Record<string, unknown> = {};
  if (hard) spec.hard = parseHard(hard);
  const scopeList = scopes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopeList.length) spec.scopes = scopeList;
  quota.spec = spec;
  quota.status = {};
  return quota;
}

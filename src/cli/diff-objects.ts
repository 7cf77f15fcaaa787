// What `kubectl diff` writes for each object before running diff on two directories: the file
// name (group.version.Kind.namespace.name), the object without managedFields, and a Secret's
// values masked so they never reach the terminal.
import type { KubeObject } from '../api/types.js';

/** `apps.v1.Deployment.default.web`; a cluster-scoped object's namespace part stays empty (`v1.Namespace..x`). */
export function diffFileName(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  const gv = apiVersion.includes('/') ? apiVersion.replace('/', '.') : apiVersion;
  return `${gv}.${kind}.${namespace ?? ''}.${name}`;
}

function withoutManagedFields(obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj) return undefined;
  const copy = structuredClone(obj);
  delete copy.metadata?.managedFields;
  return copy;
}

/**
 * kubectl's masker: each Secret value becomes `***`, or `*** (before)` / `*** (after)` when the
 * two sides differ, so what changed shows without what it is.
 */
export function maskSecrets(live: KubeObject | undefined, merged: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  const a = withoutManagedFields(live);
  const b = withoutManagedFields(merged);
  const kind = a?.kind ?? b?.kind;
  if (kind !== 'Secret') return [a, b];
  for (const field of ['data', 'stringData']) {
    const before: Record<string, string> | undefined = a?.[field];
    const after: Record<string, string> | undefined = b?.[field];
    for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
      const same = before?.[key] === after?.[key];
      if (before && key in before) before[key] = same ? '***' : '*** (before)';
      if (after && key in after) after[key] = same ? '***' : '*** (after)';
    }
  }
  return [a, b];
}

/**
 * The diff program and its arguments: `diff -u -N FROM TO`, or KUBECTL_EXTERNAL_DIFF's program
 * with FROM and TO then those of its arguments kubectl accepts (letters, digits, `-` and `=`).
 */
export function diffCommand(from: string, to: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const external = env.KUBECTL_EXTERNAL_DIFF;
  if (!external) return ['diff', '-u', '-N', from, to];
  const [program, ...args] = external.split(' ');
  return [program, from, to, ...args.filter((a) => /^[a-zA-Z0-9-=]+$/.test(a))];
}

import type { KubeObject } from '../../api/types.js';
import { canonicalQuantity } from '../../api/quantity.js';
import type { Describer } from './types.js';
import { LEVEL_0, LEVEL_1, tabbed, type PrefixWriter } from './writer.js';

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/**
 * The quota's scopes, with what each one matches; at LEVEL_1 inside `describe namespace`, where
 * kubectl's help lines lose the space before their `*`.
 */
function writeScopes(w: PrefixWriter, quota: KubeObject, level: number): void {
  const scopes = [...((quota.spec?.scopes as string[] | undefined) ?? [])].sort();
  if (scopes.length === 0) return;
  w.write(level, `Scopes:\t${scopes.join(', ')}\n`);
  const bullet = level === LEVEL_0 ? ' * ' : '* ';
  for (const scope of scopes) if (SCOPE_HELP[scope]) w.write(level, `${bullet}${SCOPE_HELP[scope]}\n`);
}

/** One `resource used hard` row per hard limit, by resource name. */
function writeUsage(w: PrefixWriter, quota: KubeObject, level: number): void {
  const hard: Record<string, string> = quota.status?.hard ?? {};
  const used: Record<string, string> = quota.status?.used ?? {};
  for (const name of Object.keys(hard).sort()) {
    w.write(level, `${name}\t${canonicalQuantity(used[name] ?? '0')}\t${canonicalQuantity(hard[name])}\n`);
  }
}

/** `describe namespace`'s Resource Quotas section (DescribeResourceQuotas). */
export function writeNamespaceQuotas(w: PrefixWriter, quotas: KubeObject[]): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const quota of [...quotas].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
    w.write(LEVEL_1, `Name:\t${quota.metadata.name}\n`);
    writeScopes(w, quota, LEVEL_1);
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    writeUsage(w, quota, LEVEL_1);
  }
}

export const resourceQuotaDescriber: Describer = {
  describe(quota: KubeObject): string {
    return tabbed((w) => {
      w.write(LEVEL_0, `Name:\t${quota.metadata.name}\n`);
      w.write(LEVEL_0, `Namespace:\t${quota.metadata.namespace ?? ''}\n`);
      writeScopes(w, quota, LEVEL_0);
      w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
      w.write(LEVEL_0, '--------\t----\t----\n');
      writeUsage(w, quota, LEVEL_0);
    });
  },
};

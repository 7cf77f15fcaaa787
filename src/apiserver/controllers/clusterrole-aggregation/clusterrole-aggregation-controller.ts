// Kubernetes' clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets, as
// its rules, the rules of every ClusterRole its selectors pick (each selector's roles in name
// order, a rule already there not repeated). Any ClusterRole change re-checks every aggregated
// role, since a role's labels or rules may change what another one gathers.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import type { Informer } from '../../../api/informer.js';
import type { KubeObject } from '../../../api/types.js';
import type { PolicyRule } from '../../../api/rbac.js';
import { WorkQueue } from '../../../api/work-queue.js';
import { labelSelectorAsSelector } from '../../../api/label-selector.js';
import { isDeepStrictEqual } from 'node:util';

/** The rules an aggregated role should have, given every ClusterRole. */
export function aggregatedRules(role: KubeObject, all: KubeObject[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const byName = [...all].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    let matches;
    try {
      matches = labelSelectorAsSelector(selector);
    } catch {
      continue;
    }
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !matches.matches(other.metadata.labels ?? {})) continue;
      for (const rule of (other.rules as PolicyRule[] | undefined) ?? []) if (!rules.some((r) => isDeepStrictEqual(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

export class ClusterRoleAggregationController {
  readonly queue: WorkQueue;

  constructor(
    private readonly client: ApiClient,
    private readonly clusterRoles: Informer,
    log: (msg: string) => void,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), (name, err) => log(`clusterrole-aggregation: ${name}: ${(err as Error).message}`), { name: 'ClusterRoleAggregator' });
    const enqueueAggregated = () => {
      for (const role of clusterRoles.list()) if (role.aggregationRule) this.queue.add(role.metadata.name!);
    };
    clusterRoles.addHandlers({ add: enqueueAggregated, update: enqueueAggregated, delete: enqueueAggregated });
  }

  async sync(name: string): Promise<void> {
    const role = this.clusterRoles.get(name);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, this.clusterRoles.list());
    if (isDeepStrictEqual(rules, role.rules ?? [])) return;
    try {
      await this.client.update(this.clusterRoles.resource, undefined, { ...role, rules });
    } catch (err) {
      // A newer version's event brings the role back to the queue.
      if (err instanceof ApiError && (err.reason === 'Conflict' || err.reason === 'NotFound')) return;
      throw err;
    }
  }
}

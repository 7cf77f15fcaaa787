// Pure: which pods a pod (anti-)affinity term selects, and the topology domain a node is in.
import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector } from '../../api/label-selector.js';

export interface CompiledTerm {
  topologyKey: string;
  matches(pod: Pod): boolean;
}

/**
 * A term selects pods in its namespaces (the owning pod's namespace when none are given) whose
 * labels match its selector; a namespaceSelector needs the namespaces' labels, which the
 * scheduler does not track, so it is taken as "all namespaces" when it selects everything.
 */
export function compileTerm(term: PodAffinityTerm, ownerNamespace: string): CompiledTerm {
  const selector = labelSelectorAsSelector(term.labelSelector);
  const anyNamespace = term.namespaceSelector !== undefined && Object.keys(term.namespaceSelector).length === 0;
  const namespaces = new Set(term.namespaces?.length ? term.namespaces : [ownerNamespace]);
  return {
    topologyKey: term.topologyKey,
    matches: (pod) => (anyNamespace || namespaces.has(pod.metadata?.namespace ?? 'default')) && selector.matches(pod.metadata?.labels ?? {}),
  };
}

/** `key=value` of the node's domain for a topology key, or undefined when the node lacks the label. */
export function domainOf(labels: Record<string, string>, topologyKey: string): string | undefined {
  const v = labels[topologyKey];
  return v === undefined ? undefined : `${topologyKey}=${v}`;
}

// Pure: node selector terms (node affinity) against a node, with Kubernetes' operators. Terms are
// ORed, the requirements of one term ANDed; a term with no requirements matches nothing.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';

function matchesRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0], 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

export function matchesTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return (
    exprs.every((r) => matchesRequirement(r, labels[r.key])) &&
    // metadata.name is the only field a node selector may name.
    fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, node.metadata?.name))
  );
}

export function matchesAnyTerm(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => matchesTerm(t, node));
}

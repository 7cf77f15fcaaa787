// Makes the default policy exist at every start, as kube-apiserver's rbac/bootstrap-roles hook:
// a missing role or binding is created; one annotated autoupdate other than "false" gets the
// default's missing rules, subjects, labels and annotations added (nothing a user added is
// removed); a binding whose roleRef differs is replaced. Aggregated roles' rules are left to the
// aggregation controller.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/types.js';
import { AUTOUPDATE_ANNOTATION } from '../../api/rbac.js';
import { findByKind } from '../../api/resources.js';
import type { Registry } from '../registry/registry.js';
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, NAMESPACED_POLICY } from './bootstrap-policy.js';

function union<T>(existing: T[] | undefined, wanted: T[] | undefined): T[] {
  const out = [...(existing ?? [])];
  for (const w of wanted ?? []) if (!out.some((e) => isDeepStrictEqual(e, w))) out.push(w);
  return out;
}

/** The stored object with the default's missing parts added; undefined when nothing is missing. */
export function reconciled(existing: KubeObject, wanted: KubeObject): KubeObject | undefined {
  if (existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return undefined;
  const next = structuredClone(existing);
  next.metadata.labels = { ...wanted.metadata.labels, ...existing.metadata.labels };
  next.metadata.annotations = { ...wanted.metadata.annotations, ...existing.metadata.annotations };
  if (wanted.kind === 'Role' || wanted.kind === 'ClusterRole') {
    if (wanted.aggregationRule) next.aggregationRule = wanted.aggregationRule;
    else next.rules = union(existing.rules, wanted.rules);
  } else {
    next.subjects = union(existing.subjects, wanted.subjects);
  }
  return isDeepStrictEqual(next, existing) ? undefined : next;
}

function sameRoleRef(a: KubeObject, b: KubeObject): boolean {
  return isDeepStrictEqual(a.roleRef, b.roleRef);
}

export function reconcileBootstrapPolicy(registry: Registry, log: (msg: string) => void): void {
  for (const wanted of [...CLUSTER_ROLES, ...CLUSTER_ROLE_BINDINGS, ...NAMESPACED_POLICY]) {
    const r = findByKind(wanted.kind!)!;
    const { name, namespace } = wanted.metadata;
    const existing = registry.tryGet(r, namespace, name!);
    if (!existing) {
      registry.create(r, namespace, wanted);
      continue;
    }
    const isBinding = 'roleRef' in wanted;
    if (isBinding && !sameRoleRef(existing, wanted) && existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] !== 'false') {
      log(`rbac: ${wanted.kind} ${name} referred to another role; replaced with the default`);
      registry.delete(r, namespace, name!);
      registry.create(r, namespace, wanted);
      continue;
    }
    const next = reconciled(existing, wanted);
    if (next) registry.update(r, namespace, name!, next);
  }
}

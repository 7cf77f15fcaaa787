// Kubernetes' NodeRestriction admission: what the node authorizer lets every node write, narrowed
// to the node's own objects once the object is known. A node changes only its own Node (and
// never the node-restriction.kubernetes.io/ labels), its own Lease, the pods bound to it, and
// creates only mirror pods bound to itself.
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { nodeName, type UserInfo } from './user.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const RESTRICTED_LABEL_PREFIX = 'node-restriction.kubernetes.io/';

function forbiddenFor(resource: string, group: string, name: string | undefined, message: string): ApiError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError('Forbidden', `${name ? `${qualified} ${JSON.stringify(name)}` : qualified} is forbidden: ${message}`, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    kind: resource,
  });
}

function restrictedLabels(labels: Record<string, string> | undefined): string[] {
  return Object.keys(labels ?? {}).filter((k) => k.startsWith(RESTRICTED_LABEL_PREFIX));
}

function changedRestrictedLabels(obj: KubeObject, old: KubeObject): string[] {
  const keys = new Set([...restrictedLabels(obj.metadata.labels), ...restrictedLabels(old.metadata.labels)]);
  return [...keys].filter((k) => obj.metadata.labels?.[k] !== old.metadata.labels?.[k]).sort();
}

export interface WriteRequest {
  kind: string;
  /** create, update, patch or delete. */
  verb: string;
  subresource?: string;
  obj: KubeObject;
  old?: KubeObject;
}

/** Throws Forbidden when a node may not make this write; anyone else passes. */
export function admitNodeWrite(user: UserInfo, w: WriteRequest): void {
  const node = nodeName(user);
  if (node === undefined) return;
  const name = w.obj.metadata.name;
  if (w.kind === 'Node') {
    if (name !== node) throw forbiddenFor('nodes', '', name, `node ${JSON.stringify(node)} is not allowed to modify node ${JSON.stringify(name)}`);
    if (!w.old) {
      const set = restrictedLabels(w.obj.metadata.labels).sort();
      if (set.length) throw forbiddenFor('nodes', '', name, `node ${JSON.stringify(node)} is not allowed to set the following labels: ${set.join(', ')}`);
    } else {
      const changed = changedRestrictedLabels(w.obj, w.old);
      if (changed.length) throw forbiddenFor('nodes', '', name, `node ${JSON.stringify(node)} is not allowed to modify labels: ${changed.join(', ')}`);
    }
    return;
  }
  if (w.kind === 'Pod') {
    const boundTo = (w.old ?? w.obj).spec?.nodeName;
    if (w.verb === 'create' && !w.subresource) {
      if (!w.obj.metadata.annotations?.[MIRROR_POD_ANNOTATION]) {
        throw forbiddenFor('pods', '', name, `pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node ${JSON.stringify(node)} can only create mirror pods`);
      }
      if (w.obj.spec?.nodeName !== node) throw forbiddenFor('pods', '', name, `node ${JSON.stringify(node)} can only create pods with spec.nodeName set to itself`);
      return;
    }
    if (boundTo === node) return;
    const what = w.verb === 'delete' ? 'delete pods' : w.subresource === 'eviction' ? 'evict pods' : w.subresource === 'status' ? 'update pod status for pods' : 'update pods';
    throw forbiddenFor('pods', '', name, `node ${JSON.stringify(node)} can only ${what} with spec.nodeName set to itself`);
  }
  if (w.kind === 'Lease' && name !== node) {
    throw forbiddenFor('leases', 'coordination.k8s.io', name, 'can only access node lease with the same name as the requesting node');
  }
}

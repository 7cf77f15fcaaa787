// Kubernetes' node authorizer (with AuthorizeNodeWithSelectors, on by default since 1.32) for
// users `system:node:NAME` in group system:nodes: its own Node and Lease, the pods bound to it,
// and only the Secrets, ConfigMaps, claims (and their volumes) and service account tokens those pods use. What the
// node writes is narrowed further by the NodeRestriction admission (node-restriction.ts).
import { parseFieldSelector } from '../../api/field-selector.js';
import type { RequestAttributes, ResourceAttributes } from './attributes.js';
import { NODE_RULES } from './bootstrap-policy.js';
import type { GraphKind, NodeGraph } from './node-graph.js';
import { ruleAllows } from './rbac-rules.js';
import type { Decision } from './rbac-authorizer.js';
import { nodeName, type UserInfo } from './user.js';

const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const ALLOW: Decision = { allowed: true, reason: '' };
const noOpinion = (reason = ''): Decision => ({ allowed: false, reason });

function fieldEquals(a: ResourceAttributes, field: string, value: string): boolean {
  if (!a.fieldSelector) return false;
  try {
    return parseFieldSelector(a.fieldSelector).requirements.some((r) => r.field === field && r.operator === '=' && r.value === value);
  } catch {
    return false;
  }
}

export class NodeAuthorizer {
  constructor(private readonly graph: NodeGraph) {}

  /** Allowed, or no opinion with Kubernetes' reason (other authorizers may still allow); undefined for a user that is not a node. */
  authorize(user: UserInfo, a: RequestAttributes): Decision | undefined {
    const node = nodeName(user);
    if (node === undefined) return undefined;
    if (a.resourceRequest && a.apiGroup === '') {
      switch (a.resource) {
        case 'secrets':
          return this.readRelated(node, 'secrets', a);
        case 'configmaps':
          return this.readRelated(node, 'configmaps', a);
        case 'persistentvolumeclaims':
          if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
          if (a.subresource) return noOpinion('cannot get subresource');
          return this.related(node, 'persistentvolumeclaims', a);
        case 'persistentvolumes':
          if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
          if (a.subresource) return noOpinion('cannot get subresource');
          if (!a.name) return noOpinion('No Object name found');
          if (!this.graph.synced) return noOpinion('node authorizer graph not yet synced');
          return this.graph.hasVolume(node, a.name) ? ALLOW : noOpinion(`no relationship found between node '${node}' and this object`);
        case 'serviceaccounts':
          if (a.verb !== 'create' || !a.name) return noOpinion('can only create tokens for individual service accounts');
          if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
          return this.related(node, 'serviceaccounts', a);
        case 'nodes':
          return this.nodeObject(node, a);
        case 'pods':
          return this.pod(node, a);
      }
    }
    if (a.resourceRequest && a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') return this.lease(node, a);
    return NODE_RULES.some((rule) => ruleAllows(rule, a)) ? ALLOW : noOpinion();
  }

  private related(node: string, kind: GraphKind, a: ResourceAttributes): Decision {
    if (!a.name) return noOpinion('No Object name found');
    // The daemon serves before the graph has read every pod (RBAC needs only its own caches):
    // until then a node's reads of related objects are refused, and its agent retries.
    if (!this.graph.synced) return noOpinion('node authorizer graph not yet synced');
    return a.namespace && this.graph.has(node, kind, a.namespace, a.name) ? ALLOW : noOpinion(`no relationship found between node '${node}' and this object`);
  }

  private readRelated(node: string, kind: GraphKind, a: ResourceAttributes): Decision {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return noOpinion('can only read resources of this type');
    if (a.subresource) return noOpinion('cannot read subresource');
    if (!a.namespace) return noOpinion('can only read namespaced object of this type');
    return this.related(node, kind, a);
  }

  private lease(node: string, a: ResourceAttributes): Decision {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
    if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    // A create's name is in its body: NodeRestriction checks it.
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
    return ALLOW;
  }

  private nodeObject(node: string, a: ResourceAttributes): Decision {
    if (!a.subresource) {
      if (a.verb === 'create' || a.verb === 'update' || a.verb === 'patch') return ALLOW;
      if (a.verb === 'get' || a.verb === 'list' || a.verb === 'watch') {
        if (a.name === node) return ALLOW;
        return noOpinion(a.name ? `node '${node}' cannot read '${a.name}', only its own Node object` : `node '${node}' cannot read all nodes, only its own Node object`);
      }
    } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
      return ALLOW;
    }
    return noOpinion();
  }

  private pod(node: string, a: ResourceAttributes): Decision {
    if (!a.subresource) {
      switch (a.verb) {
        case 'get':
          return this.related(node, 'pods', a);
        case 'list':
        case 'watch':
          if (fieldEquals(a, 'spec.nodeName', node)) return ALLOW;
          if (a.name) return this.related(node, 'pods', a);
          return noOpinion('can only list/watch pods with spec.nodeName field selector');
        case 'create':
        case 'delete':
          return ALLOW;
      }
    } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
      return ALLOW;
    } else if (a.subresource === 'eviction' && a.verb === 'create') {
      return ALLOW;
    }
    return noOpinion();
  }
}

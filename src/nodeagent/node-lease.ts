// The node's heartbeat: Lease kube-node-lease/<node>, held by the node and renewed every quarter
// of its duration, as the kubelet's lease controller does. It updates the lease it last wrote
// (one request per renewal) and falls back to get-or-create when that lease is stale or gone.
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { findByKind } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { microTime } from '../api/timestamps.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet renews at this fraction of the lease duration (nodeLeaseRenewIntervalFraction). */
export const RENEW_INTERVAL_FRACTION = 0.25;

const LEASES = findByKind('Lease')!;

export interface NodeOwner {
  name: string;
  uid: string;
}

/** A lease held by the node, renewed at `now`, owned by its Node so it goes when the Node goes. */
export function nodeLease(owner: NodeOwner, durationSeconds: number, now: Date, existing?: KubeObject): KubeObject {
  const base: KubeObject = existing ?? { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: owner.name, namespace: NODE_LEASE_NAMESPACE } };
  return {
    ...base,
    // The current Node's, also when the lease outlived an earlier Node of the same name.
    metadata: { ...base.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: owner.name, uid: owner.uid }] },
    spec: { ...base.spec, holderIdentity: owner.name, leaseDurationSeconds: durationSeconds, renewTime: microTime(now) },
  };
}

export class NodeLeaseRenewer {
  private latest: KubeObject | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly owner: () => NodeOwner,
    private readonly durationSeconds: number,
  ) {}

  get renewIntervalMs(): number {
    return this.durationSeconds * RENEW_INTERVAL_FRACTION * 1000;
  }

  async renew(now = new Date()): Promise<void> {
    if (this.latest) {
      try {
        this.latest = await this.client.update(LEASES, NODE_LEASE_NAMESPACE, nodeLease(this.owner(), this.durationSeconds, now, this.latest));
        return;
      } catch (err) {
        this.latest = undefined;
        if (!(err instanceof ApiError) || (err.reason !== 'Conflict' && err.reason !== 'NotFound')) throw err;
      }
    }
    this.latest = await this.ensureRenewed(now);
  }

  private async ensureRenewed(now: Date): Promise<KubeObject> {
    let existing: KubeObject | undefined;
    try {
      existing = await this.client.get(LEASES, NODE_LEASE_NAMESPACE, this.owner().name);
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason !== 'NotFound') throw err;
    }
    const lease = nodeLease(this.owner(), this.durationSeconds, now, existing);
    return existing
      ? this.client.update(LEASES, NODE_LEASE_NAMESPACE, lease)
      : this.client.create(LEASES, NODE_LEASE_NAMESPACE, lease);
  }
}

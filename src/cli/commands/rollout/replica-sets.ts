// A Deployment's ReplicaSets as kubectl finds them (deploymentutil.GetAllReplicaSets): those its
// selector matches in its namespace that it controls, and the revision each one carries.
import type { HttpClient } from '../../../api/http-client.js';
import { formatLabelSelector } from '../../../api/label-selector.js';
import { findByKind } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';

const REPLICA_SETS = findByKind('ReplicaSet')!;

export async function replicaSetsOf(client: HttpClient, d: KubeObject): Promise<KubeObject[]> {
  const list = await client.list(REPLICA_SETS, d.metadata.namespace, { labelSelector: formatLabelSelector(d.spec?.selector) });
  return list.items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));
}

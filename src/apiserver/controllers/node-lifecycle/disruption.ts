// Deleting a pod on the control plane's initiative, as Kubernetes' taint eviction and pod GC do:
// first the DisruptionTarget condition saying why (so the pod's owner and its user can tell an
// eviction from a crash), then the delete, guarded by the pod's UID so a newer pod of the same
// name is never hit. A pod already gone is not an error.
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/errors.js';
import { findByKind } from '../../../api/resources.js';
import { rfc3339 } from '../../../api/timestamps.js';
import type { KubeObject } from '../../../api/types.js';

const PODS = findByKind('Pod')!;

export interface Disruption {
  /** The DisruptionTarget condition's reason and message; none without. */
  reason?: string;
  message?: string;
  /** Force (0) or the pod's own grace period (undefined). */
  gracePeriodSeconds?: number;
  /** Also set the phase to Failed, as pod GC does for pods whose node is gone. */
  markFailed?: boolean;
}

export async function disruptPod(client: ApiClient, pod: KubeObject, d: Disruption, now = new Date()): Promise<void> {
  const { namespace, name, uid } = pod.metadata;
  let current: KubeObject;
  try {
    current = await client.get(PODS, namespace, name!);
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'NotFound') return;
    throw err;
  }
  if (current.metadata.uid !== uid) return;
  const status: Record<string, unknown> = {};
  if (d.reason) {
    const conditions = (current.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'DisruptionTarget');
    conditions.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now), reason: d.reason, message: d.message });
    status.conditions = conditions;
  }
  if (d.markFailed && current.status?.phase !== 'Succeeded' && current.status?.phase !== 'Failed') status.phase = 'Failed';
  try {
    // A write in between (the node agent's status) makes this a Conflict: the caller tries again.
    if (Object.keys(status).length) {
      await client.patch(PODS, namespace, name!, 'merge', { metadata: { resourceVersion: current.metadata.resourceVersion }, status }, { subresource: 'status' });
    }
    await client.delete(PODS, namespace, name!, { preconditions: { uid }, ...(d.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: d.gracePeriodSeconds }) });
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
  }
}

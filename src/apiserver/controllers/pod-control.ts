// Creating and deleting a controller's pods with the events Kubernetes' PodControl records
// (SuccessfulCreate/FailedCreate, SuccessfulDelete/FailedDelete), shared by the ReplicaSet and
// DaemonSet controllers.
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import { type EventRecorder, referenceTo } from '../../api/event-recorder.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';

const PODS = findByKind('Pod')!;

export async function createPodFor(client: ApiClient, recorder: EventRecorder, owner: KubeObject, pod: KubeObject): Promise<void> {
  try {
    const created = await client.create(PODS, owner.metadata.namespace, pod);
    recorder.event(referenceTo(owner), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
  } catch (err) {
    recorder.event(referenceTo(owner), 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
    throw err;
  }
}

/** Deletes the pod it was given (uid precondition); one already gone is no failure event. */
export async function deletePodOf(client: ApiClient, recorder: EventRecorder, owner: KubeObject, pod: KubeObject): Promise<void> {
  try {
    await client.delete(PODS, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    recorder.event(referenceTo(owner), 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) {
      recorder.event(referenceTo(owner), 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
    }
    throw err;
  }
}

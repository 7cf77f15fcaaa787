// Creating and deleting a controller's objects with the events Kubernetes records for them:
// PodControl's texts for the ReplicaSet and DaemonSet controllers (SuccessfulCreate "Created pod:
// x", FailedCreate, SuccessfulDelete, FailedDelete) and StatefulPodControl's for the StatefulSet
// controller ("create Pod web-0 in StatefulSet web successful"), through one recordWrite.
import type { ApiClient } from '../../api/client.js';
import { ApiError } from '../../api/errors.js';
import { type EventRecorder, referenceTo } from '../../api/event-recorder.js';
import { findByKind } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';

const PODS = findByKind('Pod')!;

export interface WriteTexts<T> {
  succeeded: (result: T) => string;
  failed: (err: Error) => string;
}

/**
 * Runs a create or delete on behalf of `owner` and records its outcome as an event on it. An error
 * whose reason is `quiet` (a stale cache explains it) records nothing and is thrown to the caller as is.
 */
export async function recordWrite<T>(recorder: EventRecorder, owner: KubeObject, verb: 'create' | 'delete', write: () => Promise<T>, texts: WriteTexts<T>, quiet?: string): Promise<T> {
  const ref = referenceTo(owner);
  try {
    const result = await write();
    recorder.event(ref, 'Normal', verb === 'create' ? 'SuccessfulCreate' : 'SuccessfulDelete', texts.succeeded(result));
    return result;
  } catch (err) {
    if (!(quiet && err instanceof ApiError && err.reason === quiet)) {
      recorder.event(ref, 'Warning', verb === 'create' ? 'FailedCreate' : 'FailedDelete', texts.failed(err as Error));
    }
    throw err;
  }
}

export async function createPodFor(client: ApiClient, recorder: EventRecorder, owner: KubeObject, pod: KubeObject): Promise<void> {
  await recordWrite(recorder, owner, 'create', () => client.create(PODS, owner.metadata.namespace, pod), {
    succeeded: (created) => `Created pod: ${created.metadata.name}`,
    failed: (err) => `Error creating: ${err.message}`,
  });
}

/** Deletes the pod it was given (uid precondition); one already gone is no failure event. */
export async function deletePodOf(client: ApiClient, recorder: EventRecorder, owner: KubeObject, pod: KubeObject): Promise<void> {
  await recordWrite(
    recorder,
    owner,
    'delete',
    () => client.delete(PODS, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }),
    { succeeded: () => `Deleted pod: ${pod.metadata.name}`, failed: (err) => `Error deleting: ${err.message}` },
    'NotFound',
  );
}

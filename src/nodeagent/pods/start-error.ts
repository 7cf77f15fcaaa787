// Why a container's next run could not start: shared by the steps that prepare a run (env, volumes,
// images) and the pod's sync, which turns it into the container's waiting reason.

/** The kubelet syncs a pod whose sync failed again after this long. */
export const CONFIG_ERROR_RETRY_MS = 10_000;

/**
 * Thrown while preparing a container's run when the pod's spec or the cluster's objects do not
 * allow it (a missing Secret, an image that cannot be pulled): the container waits with `reason`
 * and the pod is synced again after `retryMs`.
 */
export class ContainerStartError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly retryMs: number,
    /** The text of the kubelet's `Error: …` Failed event; a container still being created (its volumes) has none. */
    readonly failedEvent: string | undefined = reason === 'ContainerCreating' ? undefined : message,
  ) {
    super(message);
  }
}

// Pure: how the kubelet kills a container whose liveness or startup probe failed — its Killing
// message and the grace period it asks for (the kill itself gives at least its minimum).
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { PROBE_FIELDS } from './probe-state.js';

export type KillingProbe = 'liveness' | 'startup';

const DEFAULT_GRACE_SECONDS = 30;

/** The Killing event's message; the restart policy decides whether the container runs again. */
export function probeKillMessage(pod: Pod, containerName: string, probe: KillingProbe): string {
  const message = `Container ${containerName} failed ${probe} probe`;
  return pod.spec?.restartPolicy === 'Never' ? message : `${message}, will be restarted`;
}

/** The probe's own terminationGracePeriodSeconds wins over the pod's. */
export function probeKillGraceSeconds(pod: Pod, container: Container, probe: KillingProbe): number {
  return container[PROBE_FIELDS[probe]]?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

// Stops a running container as the kubelet's killContainer does: a Killing event, the preStop hook
// within the grace period, then SIGTERM and SIGKILL after what remains of it (at least 2 s).
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../api/event-recorder.js';
import type { DockerClient } from '../docker/docker-client.js';
import type { ContainerInspect } from '../docker/types.js';
import { runHook } from './lifecycle-hooks.js';
import { podReference } from './pod-reference.js';

/** The kubelet always gives a container this long between SIGTERM and SIGKILL. */
export const MINIMUM_GRACE_SECONDS = 2;

/** The pod's grace period: the deletion's if it is being deleted, else its terminationGracePeriodSeconds. */
export function gracePeriodSeconds(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/** `spec.containers{app}` or `spec.initContainers{setup}`: what the pod's events about a container point at. */
export function containerFieldPath(pod: Pod, name: string): string {
  const init = pod.spec?.initContainers?.some((c) => c.name === name);
  return `${init ? 'spec.initContainers' : 'spec.containers'}{${name}}`;
}

/** The container of the pod's spec with this name (init or app). */
export function specContainer(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
}

export interface KillRequest {
  pod: Pod;
  name: string;
  running: ContainerInspect;
  graceSeconds: number;
  /** For an httpGet preStop hook. */
  podIP?: string;
  /** The Killing event's message (default: `Stopping container <name>`). */
  message?: string;
}

export class ContainerKiller {
  constructor(
    private readonly docker: DockerClient,
    private readonly events: EventRecorder,
  ) {}

  async kill(r: KillRequest): Promise<void> {
    const ref = { ...podReference(r.pod), fieldPath: containerFieldPath(r.pod, r.name) };
    this.events.event(ref, 'Normal', 'Killing', r.message ?? `Stopping container ${r.name}`);
    let grace = r.graceSeconds;
    const spec = specContainer(r.pod, r.name);
    const preStop = spec?.lifecycle?.preStop;
    if (spec && preStop && grace > 0) {
      const started = Date.now();
      const failure = await runHook(this.docker, preStop, { pod: r.pod, container: spec, containerId: r.running.Id, podIP: r.podIP }, grace * 1000);
      if (failure) this.events.event(ref, 'Warning', 'FailedPreStopHook', failure);
      grace -= Math.floor((Date.now() - started) / 1000);
    }
    await this.docker.stopContainer(r.running.Id, { timeoutSeconds: Math.max(grace, MINIMUM_GRACE_SECONDS) });
  }
}

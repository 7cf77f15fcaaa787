// Pure: what Docker says about a pod's sandbox and containers → the Pod's status, as the kubelet
// reports it (phase, conditions, containerStatuses, podIP, hostIP, startTime).
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { ContainerInspect } from '../docker/types.js';
import { RESTART_COUNT_LABEL } from './containers.js';
import { POD_NETWORK } from './pod-network.js';

/** What the agent knows of one of the pod's containers. */
export interface ContainerRuns {
  /** The latest run's container, if one was made. */
  current?: ContainerInspect;
  /** The run before it, kept for lastState. */
  previous?: ContainerInspect;
  /** Set while an exited container waits out its CrashLoopBackOff delay. */
  backOffMs?: number;
  /** Why the agent cannot start the container's next run (CreateContainerConfigError, ErrImagePull…). */
  startError?: StartError;
}

/** A waiting reason the kubelet reports when it could not make or start a container. */
export interface StartError {
  reason: string;
  message: string;
}

export interface PodObservation {
  sandbox?: ContainerInspect;
  /** By container name. */
  containers: Record<string, ContainerRuns>;
  hostIP: string;
  now: Date;
}

// Docker's zero time, for events that never happened.
const NEVER = '0001-01-01T00:00:00Z';

/** RFC 3339 in whole seconds, as Kubernetes writes metav1.Time. */
export function kubeTime(t: string | Date): string {
  return rfc3339(new Date(t));
}

/** Go's time.Duration.String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

function terminatedState(c: ContainerInspect): ContainerState {
  const s = c.State;
  const reason = s.OOMKilled ? 'OOMKilled' : s.ExitCode === 0 ? 'Completed' : 'Error';
  return {
    terminated: {
      exitCode: s.ExitCode,
      reason,
      ...(s.Error ? { message: s.Error } : {}),
      startedAt: kubeTime(s.StartedAt),
      finishedAt: kubeTime(s.FinishedAt),
      containerID: `docker://${c.Id}`,
    },
  };
}

function hasRun(c: ContainerInspect): boolean {
  return c.State.StartedAt !== NEVER && c.State.Status !== 'created';
}

function podRef(pod: Pod): string {
  return `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
}

function containerState(pod: Pod, name: string, runs: ContainerRuns): ContainerState {
  const c = runs.current;
  if (runs.startError) return { waiting: { ...runs.startError } };
  if (!c || !hasRun(c)) return { waiting: { reason: 'ContainerCreating' } };
  if (c.State.Running) return { running: { startedAt: kubeTime(c.State.StartedAt) } };
  if (runs.backOffMs !== undefined) {
    return {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(runs.backOffMs)} restarting failed container=${name} pod=${podRef(pod)}`,
      },
    };
  }
  return terminatedState(c);
}

function restartCount(runs: ContainerRuns): number {
  const label = runs.current?.Config.Labels?.[RESTART_COUNT_LABEL];
  return label === undefined ? 0 : Number(label);
}

function containerStatus(pod: Pod, name: string, image: string, runs: ContainerRuns): ContainerStatus {
  const state = containerState(pod, name, runs);
  // A container waiting to be restarted reports the run that ended as its last state.
  const last = state.waiting && runs.current && hasRun(runs.current) ? runs.current : runs.previous;
  const running = state.running !== undefined;
  return {
    name,
    state,
    lastState: last && hasRun(last) ? terminatedState(last) : {},
    ready: running,
    restartCount: restartCount(runs),
    image,
    imageID: runs.current ? `docker-pullable://${runs.current.Image}` : '',
    ...(runs.current ? { containerID: `docker://${runs.current.Id}` } : {}),
    started: running,
  };
}

/** The kubelet's getPhase, for pods without init containers. */
export function podPhase(restartPolicy: string, statuses: ContainerStatus[]): PodStatus['phase'] {
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, previous: PodCondition[], now: Date, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  return {
    type,
    status,
    // The transition time moves only when the status flips.
    lastTransitionTime: before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : kubeTime(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

export function computePodStatus(pod: Pod, obs: PodObservation): PodStatus {
  const containers = pod.spec?.containers ?? [];
  const statuses = containers.map((c) => containerStatus(pod, c.name, c.image ?? '', obs.containers[c.name] ?? {}));
  const phase = podPhase(pod.spec?.restartPolicy ?? 'Always', statuses);
  const previous = pod.status?.conditions ?? [];
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const readyReason = completed ? 'PodCompleted' : unready.length > 0 ? 'ContainersNotReady' : undefined;
  const readyMessage = !completed && unready.length > 0 ? `containers with unready status: [${unready.join(' ')}]` : undefined;
  const ready = unready.length === 0;
  const podIP = obs.sandbox?.NetworkSettings.Networks[POD_NETWORK]?.IPAddress || pod.status?.podIP;
  return {
    phase,
    conditions: [
      condition('Initialized', true, previous, obs.now),
      condition('Ready', ready, previous, obs.now, readyReason, readyMessage),
      condition('ContainersReady', ready, previous, obs.now, readyReason, readyMessage),
      previous.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, previous, obs.now),
    ],
    hostIP: obs.hostIP,
    hostIPs: [{ ip: obs.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: pod.status?.startTime ?? kubeTime(obs.now),
    containerStatuses: statuses,
  };
}

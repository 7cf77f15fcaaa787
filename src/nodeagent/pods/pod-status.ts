// Pure: what Docker says about a pod's sandbox and containers → the Pod's status, as the kubelet
// reports it (phase, conditions, containerStatuses, podIP, hostIP, startTime).
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../api/timestamps.js';
import type { ContainerInspect } from '../docker/types.js';
import { RESTART_COUNT_LABEL } from './containers.js';
import { podDescription } from './pod-reference.js';
import { POD_NETWORK } from '../../api/cluster-network.js';

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
  /** While it runs, what its startup probe says (absent without one: started once running). */
  started?: boolean;
  /** While it runs, what its readiness probe says (absent without one: ready once started). */
  ready?: boolean;
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

/** Which kind of the pod's containers a status is for. */
interface StatusContext {
  /** The waiting reason of a container not made yet: PodInitializing in a pod with init containers. */
  pendingReason: string;
  /** A regular init container (not a sidecar, which is ready as an app container is). */
  init: boolean;
}

function containerState(pod: Pod, name: string, runs: ContainerRuns, pendingReason: string): ContainerState {
  const c = runs.current;
  if (runs.startError) return { waiting: { ...runs.startError } };
  if (!c || !hasRun(c)) return { waiting: { reason: pendingReason } };
  if (c.State.Running) return { running: { startedAt: kubeTime(c.State.StartedAt) } };
  if (runs.backOffMs !== undefined) {
    return {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(runs.backOffMs)} restarting failed container=${name} pod=${podDescription(pod)}`,
      },
    };
  }
  return terminatedState(c);
}

function restartCount(runs: ContainerRuns): number {
  const label = runs.current?.Config.Labels?.[RESTART_COUNT_LABEL];
  return label === undefined ? 0 : Number(label);
}

function containerStatus(pod: Pod, name: string, image: string, runs: ContainerRuns, ctx: StatusContext): ContainerStatus {
  const state = containerState(pod, name, runs, ctx.pendingReason);
  // A container waiting to be restarted reports the run that ended as its last state.
  const last = state.waiting && runs.current && hasRun(runs.current) ? runs.current : runs.previous;
  const running = state.running !== undefined;
  const started = running && runs.started !== false;
  return {
    name,
    state,
    lastState: last && hasRun(last) ? terminatedState(last) : {},
    // An init container is ready once it has succeeded.
    ready: ctx.init ? state.terminated?.exitCode === 0 : started && runs.ready !== false,
    restartCount: restartCount(runs),
    image,
    imageID: runs.current ? `docker-pullable://${runs.current.Image}` : '',
    ...(runs.current ? { containerID: `docker://${runs.current.Id}` } : {}),
    started,
  };
}

/** The kubelet's getPhase; `sidecars` names the init containers with restartPolicy Always. */
export function podPhase(
  restartPolicy: string,
  statuses: ContainerStatus[],
  initStatuses: ContainerStatus[] = [],
  sidecars: ReadonlySet<string> = new Set(),
): PodStatus['phase'] {
  let pendingInit = 0;
  let failedInit = 0;
  // A sidecar that is down holds the pod in Pending only until an app container has run.
  const appsStarted = statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  for (const s of initStatuses) {
    if (sidecars.has(s.name)) {
      if (!s.state?.running && !appsStarted) pendingInit++;
      continue;
    }
    const ended = s.state?.terminated ?? (s.state?.waiting ? s.lastState?.terminated : undefined);
    if (ended) {
      if (ended.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0) return 'Pending';
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

/** The kubelet's GeneratePodInitializedCondition: the init containers that have not succeeded (sidecars: started) yet. */
function initializedCondition(
  initStatuses: ContainerStatus[],
  sidecars: ReadonlySet<string>,
  phase: PodStatus['phase'],
  previous: PodCondition[],
  now: Date,
): PodCondition {
  const complete = (s: ContainerStatus) => (sidecars.has(s.name) ? s.started === true : s.state?.terminated?.exitCode === 0);
  const incomplete = initStatuses.filter((s) => !complete(s)).map((s) => s.name);
  if (phase === 'Succeeded') return condition('Initialized', true, previous, now, 'PodCompleted');
  if (incomplete.length === 0) return condition('Initialized', true, previous, now);
  return condition('Initialized', false, previous, now, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
}

export function computePodStatus(pod: Pod, obs: PodObservation): PodStatus {
  const containers = pod.spec?.containers ?? [];
  const initContainers = pod.spec?.initContainers ?? [];
  const pendingReason = initContainers.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const sidecars = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const status = (c: Container, init: boolean) => containerStatus(pod, c.name, c.image ?? '', obs.containers[c.name] ?? {}, { pendingReason, init });
  const statuses = containers.map((c) => status(c, false));
  const initStatuses = initContainers.map((c) => status(c, !sidecars.has(c.name)));
  const phase = podPhase(pod.spec?.restartPolicy ?? 'Always', statuses, initStatuses, sidecars);
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
      initializedCondition(initStatuses, sidecars, phase, previous, obs.now),
      condition('Ready', ready, previous, obs.now, readyReason, readyMessage),
      condition('ContainersReady', ready, previous, obs.now, readyReason, readyMessage),
      previous.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, previous, obs.now),
    ],
    hostIP: obs.hostIP,
    hostIPs: [{ ip: obs.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: pod.status?.startTime ?? kubeTime(obs.now),
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
  };
}

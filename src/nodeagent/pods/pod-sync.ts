// Brings Docker in line with one pod (sandbox, containers, restarts with CrashLoopBackOff,
// graceful deletion) and writes the pod's status through `pods/<name>/status`.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import type { EventRecorder } from '../../api/event-recorder.js';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { DockerClient } from '../docker/docker-client.js';
import { DockerError } from '../docker/errors.js';
import type { ContainerCreateConfig, ContainerInspect } from '../docker/types.js';
import {
  CONTAINER_NAME_LABEL,
  containerConfig,
  dockerContainerName,
  NODE_LABEL,
  POD_UID_LABEL,
  RESTART_COUNT_LABEL,
  SANDBOX_CONTAINER_NAME,
  type PodPlacement,
} from './containers.js';
import { nextBackOffMs, shouldRestart, type RestartPolicy } from './crash-loop-backoff.js';
import { computePodStatus, type ContainerRuns, type StartError } from './pod-status.js';
import { startSandbox } from './sandbox.js';
import { resolveContainerEnv } from './container-env.js';
import { POD_NETWORK } from './pod-network.js';
import { podReference, PodVolumes } from './volumes/pod-volumes.js';
import { ServiceAccountTokens, type TokenRequester } from './volumes/service-account-token.js';

const PODS = findByKind('Pod')!;
const SANDBOX_STOP_SECONDS = 2;

export interface PodSyncOptions {
  client: ApiClient;
  docker: DockerClient;
  placement: PodPlacement;
  hostIP: string;
  /** Where the pod's Events (Created, Started, Killing, BackOff…) go, as the kubelet's. */
  events: EventRecorder;
  /** The node's data dir: the pods' volumes live under `<dataDir>/pods/<uid>`. */
  dataDir: string;
  /** The node's allocatable resources: what a container without limits may use (resourceFieldRef, tmpfs sizes). */
  allocatable: Record<string, string>;
  /** Bound service account tokens for projected volumes (the TokenRequest API). */
  requestToken: TokenRequester;
  /** Asks for another sync of the pod after `ms` (the end of a back-off). */
  requeue(uid: string, ms: number): void;
  log(msg: string): void;
}

/** The back-off of one container, decided once per exited run. */
interface BackOff {
  exitedId: string;
  delayMs: number;
  restartAt: number;
}

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
  ) {
    super(message);
  }
}

interface PodContainers {
  sandbox?: ContainerInspect;
  /** By container name, the latest run first. */
  runs: Map<string, ContainerInspect[]>;
  all: ContainerInspect[];
}

function attempt(c: ContainerInspect): number {
  return Number(c.Config.Labels?.[RESTART_COUNT_LABEL] ?? 0);
}

function exited(c: ContainerInspect): boolean {
  return c.State.Status === 'exited' || c.State.Status === 'dead';
}

export class PodSync {
  private readonly backOffs = new Map<string, Map<string, BackOff>>();
  private readonly lastStatus = new Map<string, string>();
  /** By pod UID and container name: why the container's next run could not start. */
  private readonly startErrors = new Map<string, Map<string, StartError>>();

  private readonly volumes: PodVolumes;

  constructor(private readonly o: PodSyncOptions) {
    this.volumes = new PodVolumes({ ...o, tokens: new ServiceAccountTokens(o.requestToken) });
  }

  async sync(pod: Pod): Promise<void> {
    const uid = pod.metadata!.uid!;
    if (pod.metadata?.deletionTimestamp) {
      await this.teardown(uid, pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
      await this.deleteFromApi(pod);
      return;
    }
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    let found = await this.inspectPod(uid);
    if (!terminal) {
      let sandboxId = found.sandbox?.Id;
      if (!sandboxId) sandboxId = await startSandbox(this.o.docker, pod, this.o.placement);
      else if (!found.sandbox!.State.Running) await this.o.docker.startContainer(sandboxId);
      for (const container of pod.spec?.containers ?? []) {
        await this.syncContainer(pod, container, sandboxId, found.runs.get(container.name) ?? []);
      }
      found = await this.inspectPod(uid);
    }
    await this.writeStatus(pod, found);
  }

  /** Stops the pod's containers (SIGTERM, then SIGKILL after the grace period), then removes them and the sandbox. */
  async teardown(uid: string, graceSeconds = 0): Promise<void> {
    const { sandbox, all } = await this.inspectPod(uid);
    const apps = all.filter((c) => c !== sandbox);
    await Promise.all(apps.filter((c) => c.State.Running).map((c) => this.o.docker.stopContainer(c.Id, { timeoutSeconds: graceSeconds })));
    if (sandbox?.State.Running) await this.o.docker.stopContainer(sandbox.Id, { timeoutSeconds: SANDBOX_STOP_SECONDS });
    await Promise.all(all.map((c) => this.removeContainer(c.Id)));
    await this.volumes.tearDown(uid);
    this.backOffs.delete(uid);
    this.lastStatus.delete(uid);
    this.startErrors.delete(uid);
  }

  private async removeContainer(id: string): Promise<void> {
    try {
      await this.o.docker.removeContainer(id, { force: true, volumes: true });
    } catch (err) {
      if (!(err instanceof DockerError && err.statusCode === 404)) throw err;
    }
  }

  // The API server keeps a pod bound to a node until its node says, with a zero grace period,
  // that everything is stopped.
  private async deleteFromApi(pod: Pod): Promise<void> {
    try {
      await this.o.client.delete(PODS, pod.metadata!.namespace, pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } });
    } catch (err) {
      if (!(err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
    }
  }

  private async syncContainer(pod: Pod, container: Container, sandboxId: string, runs: ContainerInspect[]): Promise<void> {
    const uid = pod.metadata!.uid!;
    const current = runs[0];
    if (!current) {
      await this.startContainer(pod, container, sandboxId, 0);
      return;
    }
    if (current.State.Status === 'created') {
      await this.o.docker.startContainer(current.Id);
      return;
    }
    if (!exited(current)) return;
    const policy = (pod.spec?.restartPolicy ?? 'Always') as RestartPolicy;
    if (!shouldRestart(policy, current.State.ExitCode)) return;
    const backOff = this.backOff(uid, container.name, current);
    const wait = backOff.restartAt - Date.now();
    if (wait > 0) {
      this.o.requeue(uid, wait);
      return;
    }
    await this.startContainer(pod, container, sandboxId, attempt(current) + 1);
    // The run that just ended stays for lastState; older ones go.
    await Promise.all(runs.slice(1).map((c) => this.removeContainer(c.Id)));
  }

  private backOff(uid: string, name: string, exitedRun: ContainerInspect): BackOff {
    let byName = this.backOffs.get(uid);
    if (!byName) this.backOffs.set(uid, (byName = new Map()));
    const before = byName.get(name);
    if (before?.exitedId === exitedRun.Id) return before;
    const finished = Date.parse(exitedRun.State.FinishedAt);
    const delayMs = nextBackOffMs(before?.delayMs, finished - Date.parse(exitedRun.State.StartedAt));
    const next = { exitedId: exitedRun.Id, delayMs, restartAt: finished + delayMs };
    byName.set(name, next);
    return next;
  }

  private async startContainer(pod: Pod, container: Container, sandboxId: string, run: number): Promise<void> {
    const uid = pod.metadata!.uid!;
    let config: ContainerCreateConfig;
    try {
      config = await this.runConfig(pod, container, sandboxId, run);
    } catch (err) {
      if (!(err instanceof ContainerStartError)) throw err;
      this.setStartError(uid, container.name, { reason: err.reason, message: err.message });
      this.o.requeue(uid, err.retryMs);
      return;
    }
    this.setStartError(uid, container.name, undefined);
    const { Id } = await this.o.docker.createContainer(config, { name: dockerContainerName(pod, container.name, run) });
    await this.o.docker.startContainer(Id);
  }

  /** The Docker config of the container's next run; throws ContainerStartError when it cannot be made. */
  private async runConfig(pod: Pod, container: Container, sandboxId: string, run: number): Promise<ContainerCreateConfig> {
    const volumes = await this.volumes.setUp(pod);
    const { warnings, ...env } = await resolveContainerEnv(this.o.client, pod, container, {
      hostIPs: [this.o.hostIP],
      allocatable: this.o.allocatable,
      podIPs: () => this.sandboxIPs(sandboxId),
    });
    for (const w of warnings) this.o.events.event(podReference(pod), 'Warning', 'InvalidEnvironmentVariableNames', w);
    const mounts = await this.volumes.mountsFor(container, volumes, env.env);
    return containerConfig(pod, container, sandboxId, this.o.placement, run, { ...env, mounts });
  }

  private async sandboxIPs(sandboxId: string): Promise<string[]> {
    const ip = (await this.o.docker.inspectContainer(sandboxId)).NetworkSettings.Networks[POD_NETWORK]?.IPAddress;
    return ip ? [ip] : [];
  }

  private setStartError(uid: string, name: string, error: StartError | undefined): void {
    let byName = this.startErrors.get(uid);
    if (!byName) this.startErrors.set(uid, (byName = new Map()));
    if (error) byName.set(name, error);
    else byName.delete(name);
  }

  private async inspectPod(uid: string): Promise<PodContainers> {
    const summaries = await this.o.docker.listContainers({
      all: true,
      filters: { label: [`${POD_UID_LABEL}=${uid}`, `${NODE_LABEL}=${this.o.placement.node}`] },
    });
    const inspected = await Promise.all(summaries.map((s) => this.o.docker.inspectContainer(s.Id).catch(() => undefined)));
    const all = inspected.filter((c): c is ContainerInspect => c !== undefined);
    const runs = new Map<string, ContainerInspect[]>();
    let sandbox: ContainerInspect | undefined;
    for (const c of all) {
      const name = c.Config.Labels?.[CONTAINER_NAME_LABEL] ?? '';
      if (name === SANDBOX_CONTAINER_NAME) {
        if (!sandbox || c.State.Running) sandbox = c;
        continue;
      }
      runs.set(name, [...(runs.get(name) ?? []), c]);
    }
    for (const list of runs.values()) list.sort((a, b) => attempt(b) - attempt(a));
    return { sandbox, runs, all };
  }

  private async writeStatus(pod: Pod, found: PodContainers): Promise<void> {
    const uid = pod.metadata!.uid!;
    const backOffs = this.backOffs.get(uid);
    const containers: Record<string, ContainerRuns> = {};
    for (const [name, list] of found.runs) {
      const backOff = backOffs?.get(name);
      const waiting = backOff && list[0]?.Id === backOff.exitedId && backOff.restartAt > Date.now();
      containers[name] = { current: list[0], previous: list[1], ...(waiting ? { backOffMs: backOff.delayMs } : {}) };
    }
    for (const [name, error] of this.startErrors.get(uid) ?? []) containers[name] = { ...containers[name], startError: error };
    const status = computePodStatus(pod, { sandbox: found.sandbox, containers, hostIP: this.o.hostIP, now: new Date() });
    const text = JSON.stringify(status);
    if (this.lastStatus.get(uid) === text) return;
    await this.o.client.patch(PODS, pod.metadata!.namespace, pod.metadata!.name!, 'merge', { status }, { subresource: 'status' });
    this.lastStatus.set(uid, text);
  }
}

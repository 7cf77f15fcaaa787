// Brings Docker in line with one pod (sandbox, init containers then app containers, restarts with
// CrashLoopBackOff, graceful deletion) and writes the pod's status through `pods/<name>/status`.
// Each run's config is prepared in one place, runConfig(): image, security checks, env, mounts.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from '../../api/client.js';
import type { EventRecorder, ObjectReference } from '../../api/event-recorder.js';
import { ApiError } from '../../api/errors.js';
import { findByKind } from '../../api/resources.js';
import type { DockerClient } from '../docker/docker-client.js';
import { DockerError } from '../docker/errors.js';
import type { ContainerCreateConfig, ContainerInspect, Mount } from '../docker/types.js';
import { CONTAINER_NAME_LABEL, containerConfig, dockerContainerName, type PodPlacement } from './containers.js';
import { inspectPodContainers, type PodContainers } from './pod-containers.js';
import { ContainerKiller, containerFieldPath, gracePeriodSeconds } from './container-killer.js';
import { attempt, initRunState, pendingRestart, podRestartPolicy, restartPolicyOf } from './container-runs.js';
import { ImagePuller } from './image-puller.js';
import { isSidecar, nextInitStep } from './init-containers.js';
import { runHook } from './lifecycle-hooks.js';
import { securityViolation } from './security-context.js';
import { podStartDuration } from '../stats/kubelet-metrics.js';
import { computePodStatus, type ContainerRuns, type StartError } from './pod-status.js';
import { podDescription, podReference } from './pod-reference.js';
import { startSandbox } from './sandbox.js';
import { resolveContainerEnv } from './container-env.js';
import { CONFIG_ERROR_RETRY_MS, ContainerStartError } from './start-error.js';
import { POD_NETWORK } from '../../api/cluster-network.js';
import type { KubeObject } from '../../api/types.js';
import { formatResolvConf, parseResolvConf } from '../dns/resolv-conf.js';
import { podDns, type ClusterDnsSettings } from './pod-dns.js';
import { podServiceEnv } from './service-env.js';
import { PodVolumes } from './volumes/pod-volumes.js';
import { ServiceAccountTokens, type TokenRequester } from './volumes/service-account-token.js';
import type { ProberManager } from './probes/prober-manager.js';

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
  /** The agent's --allow-privileged: whether containers may run privileged. */
  allowPrivileged: boolean;
  /** Asks for another sync of the pod after `ms` (the end of a back-off). */
  requeue(uid: string, ms: number): void;
  /** The running containers' liveness, readiness and startup probes. */
  probes: ProberManager;
  /** The cluster's Services (an informer's cache): the containers' service variables. */
  services: ServiceCache;
  /** The kubelet's --cluster-dns, --cluster-domain and --resolv-conf (the node's resolv.conf). */
  dns: PodDnsOptions;
  log(msg: string): void;
}

export interface ServiceCache {
  hasSynced(): Promise<void>;
  list(namespace?: string): KubeObject[];
}

export interface PodDnsOptions extends ClusterDnsSettings {
  resolvConf: string;
}

const RESOLV_CONF = '/etc/resolv.conf';

export class PodSync {
  private readonly lastStatus = new Map<string, string>();
  /** By pod UID: when this agent first saw a pod that was not running yet, until it runs (pod start latency). */
  private readonly firstSeen = new Map<string, number>();
  /** By pod UID and container name: why the container's next run could not start. */
  private readonly startErrors = new Map<string, Map<string, StartError>>();

  private readonly volumes: PodVolumes;
  private readonly images: ImagePuller;
  /** Stops containers the kubelet's way (preStop, SIGTERM, SIGKILL); for the probes too. */
  private readonly killer: ContainerKiller;

  constructor(private readonly o: PodSyncOptions) {
    this.volumes = new PodVolumes({ ...o, tokens: new ServiceAccountTokens(o.requestToken) });
    this.images = new ImagePuller(o.docker, o.events, o.client, o.log);
    this.killer = new ContainerKiller(o.docker, o.events);
  }

  async sync(pod: Pod): Promise<void> {
    const uid = pod.metadata!.uid!;
    if (pod.metadata?.deletionTimestamp) {
      await this.stopContainers(pod, gracePeriodSeconds(pod));
      await this.teardown(uid);
      await this.deleteFromApi(pod);
      return;
    }
    // A pod already running when first seen (adopted after an agent restart) has no start to time.
    if (!this.lastStatus.has(uid) && !this.firstSeen.has(uid) && pod.status?.phase !== 'Running') this.firstSeen.set(uid, Date.now());
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    let found = await this.inspectPod(uid);
    if (terminal) {
      // Sidecars outlive the app containers only until the pod is done.
      if (found.all.some((c) => c !== found.sandbox && c.State.Running)) {
        await this.stopContainers(pod, gracePeriodSeconds(pod));
        found = await this.inspectPod(uid);
      }
    } else {
      let sandboxId = found.sandbox?.Id;
      if (!sandboxId) sandboxId = await startSandbox(this.o.docker, pod, this.o.placement);
      else if (!found.sandbox!.State.Running) await this.o.docker.startContainer(sandboxId);
      if (await this.o.probes.killUnhealthy(pod, found.sandbox, found.runs, (r) => this.killer.kill(r))) {
        found = await this.inspectPod(uid);
      }
      await this.syncContainers(pod, sandboxId, found.runs);
      found = await this.inspectPod(uid);
    }
    await this.writeStatus(pod, found, terminal);
  }

  /**
   * Removes the pod's containers, sandbox and volumes. Whatever still runs is killed at once: a
   * deleted pod's containers were stopped gracefully before, an orphan's pod spec is gone.
   */
  async teardown(uid: string): Promise<void> {
    this.firstSeen.delete(uid);
    this.o.probes.removePod(uid);
    const { sandbox, all } = await this.inspectPod(uid);
    const apps = all.filter((c) => c !== sandbox);
    await Promise.all(apps.filter((c) => c.State.Running).map((c) => this.o.docker.stopContainer(c.Id, { timeoutSeconds: 0 })));
    if (sandbox?.State.Running) await this.o.docker.stopContainer(sandbox.Id, { timeoutSeconds: SANDBOX_STOP_SECONDS });
    await Promise.all(all.map((c) => this.removeContainer(c.Id)));
    await this.volumes.tearDown(uid);
    this.images.forgetPod(uid);
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

  /** The init containers one after another, then (all succeeded) the app containers beside the sidecars. */
  private async syncContainers(pod: Pod, sandboxId: string, runs: Map<string, ContainerInspect[]>): Promise<void> {
    const inits = pod.spec?.initContainers ?? [];
    const apps = pod.spec?.containers ?? [];
    // As the kubelet: once an app container was made the pod is initialized for good, and its
    // init containers do not run again.
    if (!apps.some((c) => runs.has(c.name))) {
      const step = nextInitStep(inits, (name) => initRunState(runs.get(name)?.[0]), podRestartPolicy(pod));
      if (step.kind === 'failed') return;
      if (step.kind === 'run') {
        await this.syncContainer(pod, inits.find((c) => c.name === step.name)!, sandboxId, runs.get(step.name) ?? []);
        return;
      }
    }
    for (const c of [...inits.filter(isSidecar), ...apps]) await this.syncContainer(pod, c, sandboxId, runs.get(c.name) ?? []);
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
    const backOff = pendingRestart(restartPolicyOf(pod, container.name), current);
    if (!backOff) return;
    const wait = backOff.restartAt - Date.now();
    if (wait > 0) {
      const message = `Back-off restarting failed container ${container.name} in pod ${podDescription(pod)}`;
      this.o.events.event(this.containerRef(pod, container.name), 'Warning', 'BackOff', message);
      this.o.requeue(uid, wait);
      return;
    }
    await this.startContainer(pod, container, sandboxId, attempt(current) + 1, backOff.delayMs);
    // The run that just ended stays for lastState; older ones go.
    await Promise.all(runs.slice(1).map((c) => this.removeContainer(c.Id)));
  }

  private containerRef(pod: Pod, name: string): ObjectReference {
    return { ...podReference(pod), fieldPath: containerFieldPath(pod, name) };
  }

  private async startContainer(pod: Pod, container: Container, sandboxId: string, run: number, waitedMs?: number): Promise<void> {
    const uid = pod.metadata!.uid!;
    const ref = this.containerRef(pod, container.name);
    let config: ContainerCreateConfig;
    try {
      config = await this.runConfig(pod, container, sandboxId, run, waitedMs);
    } catch (err) {
      if (!(err instanceof ContainerStartError)) throw err;
      this.setStartError(uid, container.name, { reason: err.reason, message: err.message });
      if (err.failedEvent) this.o.events.event(ref, 'Warning', 'Failed', `Error: ${err.failedEvent}`);
      this.o.requeue(uid, err.retryMs);
      return;
    }
    this.setStartError(uid, container.name, undefined);
    const { Id } = await this.o.docker.createContainer(config, { name: dockerContainerName(pod, container.name, run) });
    this.o.events.event(ref, 'Normal', 'Created', `Created container ${container.name}`);
    await this.o.docker.startContainer(Id);
    this.o.events.event(ref, 'Normal', 'Started', `Started container ${container.name}`);
    const postStart = container.lifecycle?.postStart;
    if (!postStart) return;
    const podIP = (await this.sandboxIPs(sandboxId))[0];
    const grace = gracePeriodSeconds(pod);
    const failure = await runHook(this.o.docker, postStart, { pod, container, containerId: Id, podIP }, grace * 1000);
    if (!failure) return;
    // As the kubelet: the run is killed and the restart policy decides what comes next.
    this.o.events.event(ref, 'Warning', 'FailedPostStartHook', failure);
    const running = await this.o.docker.inspectContainer(Id);
    if (running.State.Running) await this.killer.kill({ pod, name: container.name, running, graceSeconds: grace, podIP, message: 'FailedPostStartHook' });
  }

  /** The Docker config of the container's next run; throws ContainerStartError when it cannot be made. */
  private async runConfig(pod: Pod, container: Container, sandboxId: string, run: number, waitedMs?: number): Promise<ContainerCreateConfig> {
    const image = await this.images.ensure(pod, container, this.containerRef(pod, container.name));
    const imageUser = image.Config.User ?? '';
    const init = pod.spec?.initContainers?.includes(container) ?? false;
    const violation = securityViolation(pod, container, { allowPrivileged: this.o.allowPrivileged, imageUser, init });
    if (violation) throw new ContainerStartError('CreateContainerConfigError', violation, CONFIG_ERROR_RETRY_MS);
    const volumes = await this.volumes.setUp(pod);
    const { warnings, ...env } = await resolveContainerEnv(this.o.client, pod, container, {
      hostIPs: [this.o.hostIP],
      allocatable: this.o.allocatable,
      podIPs: () => this.sandboxIPs(sandboxId),
      serviceEnv: await this.serviceEnv(pod),
    });
    for (const w of warnings) this.o.events.event(podReference(pod), 'Warning', 'InvalidEnvironmentVariableNames', w);
    const mounts = await this.volumes.mountsFor(container, volumes, env.env);
    // A volume the pod mounts on /etc/resolv.conf itself wins, as Docker would refuse two.
    if (!mounts.some((m) => m.Target === RESOLV_CONF)) mounts.push(await this.resolvConfMount(pod));
    return containerConfig(pod, container, sandboxId, this.o.placement, run, { ...env, mounts, imageUser, waitedMs });
  }

  /** As the kubelet, containers start only once the Services were read: their variables are fixed at start. */
  private async serviceEnv(pod: Pod): Promise<Map<string, string>> {
    await this.o.services.hasSynced();
    const ns = pod.metadata?.namespace ?? 'default';
    const services = [...this.o.services.list(ns), ...(ns === 'default' ? [] : this.o.services.list('default'))];
    return podServiceEnv(pod, services as Service[]);
  }

  /**
   * Writes the pod's resolv.conf beside its volumes (in place: running containers see a change)
   * and mounts it on the container's /etc/resolv.conf. Docker would give a container on a
   * user-defined network its embedded DNS instead, whatever the sandbox's file says.
   */
  private async resolvConfMount(pod: Pod): Promise<Mount> {
    const host = parseResolvConf(await readFile(this.o.dns.resolvConf, 'utf8').catch(() => ''));
    const { conf, warnings } = podDns(pod, host, this.o.dns);
    for (const w of warnings) this.o.events.event(podReference(pod), 'Warning', 'DNSConfigForming', w);
    const dir = join(this.o.dataDir, 'pods', pod.metadata!.uid!);
    const path = join(dir, 'resolv.conf');
    const text = formatResolvConf(conf);
    if ((await readFile(path, 'utf8').catch(() => undefined)) !== text) {
      await mkdir(dir, { recursive: true });
      await writeFile(path, text, { mode: 0o644 });
    }
    return { Type: 'bind', Source: path, Target: RESOLV_CONF, ReadOnly: false };
  }

  /** Stops the pod's running containers as for its deletion: preStop hooks, SIGTERM, SIGKILL after `graceSeconds`. */
  private async stopContainers(pod: Pod, graceSeconds: number): Promise<void> {
    const { sandbox, all } = await this.inspectPod(pod.metadata!.uid!);
    const podIP = sandbox ? (await this.sandboxIPs(sandbox.Id))[0] : undefined;
    const running = all.filter((c) => c !== sandbox && c.State.Running);
    await Promise.all(
      running.map((c) => this.killer.kill({ pod, name: c.Config.Labels?.[CONTAINER_NAME_LABEL] ?? '', running: c, graceSeconds, podIP })),
    );
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

  private inspectPod(uid: string): Promise<PodContainers> {
    return inspectPodContainers(this.o.docker, uid, this.o.placement.node);
  }

  /** `terminal`: the pod is done, so nothing waits for a restart. */
  private async writeStatus(pod: Pod, found: PodContainers, terminal: boolean): Promise<void> {
    const uid = pod.metadata!.uid!;
    const now = Date.now();
    const probed = this.o.probes.observe(pod, found.sandbox, found.runs);
    const containers: Record<string, ContainerRuns> = {};
    for (const [name, list] of found.runs) {
      const backOff = !terminal && list[0] && pendingRestart(restartPolicyOf(pod, name), list[0]);
      const waiting = backOff && backOff.restartAt > now;
      containers[name] = { current: list[0], previous: list[1], ...(waiting ? { backOffMs: backOff.delayMs } : {}), ...probed.get(name) };
    }
    for (const [name, error] of this.startErrors.get(uid) ?? []) containers[name] = { ...containers[name], startError: error };
    const status = computePodStatus(pod, { sandbox: found.sandbox, containers, hostIP: this.o.hostIP, now: new Date() });
    const text = JSON.stringify(status);
    // Written again when someone else changed it meanwhile: the node lifecycle controller marks the
    // pods of a NotReady node not ready, and they are ready again once the node is.
    if (this.lastStatus.get(uid) === text && readyStatus(pod.status) === readyStatus(status)) return;
    await this.o.client.patch(PODS, pod.metadata!.namespace, pod.metadata!.name!, 'merge', { status }, { subresource: 'status' });
    this.lastStatus.set(uid, text);
    const seen = this.firstSeen.get(uid);
    if (seen !== undefined && status.phase === 'Running' && status.containerStatuses?.every((c) => c.state?.running)) {
      podStartDuration.observe((Date.now() - seen) / 1000);
      this.firstSeen.delete(uid);
    }
  }
}

function readyStatus(status: { conditions?: Array<{ type: string; status: string }> } | undefined): string | undefined {
  return status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

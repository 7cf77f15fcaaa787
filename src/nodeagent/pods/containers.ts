// Pure: a pod's spec → the Docker create configs of its sandbox and containers, and the labels by
// which an agent finds again (after a restart too) which Docker container is which pod's what.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { PAUSE_IMAGE } from '../../api/images.js';
import type { ContainerCreateConfig, Mount, PortBinding } from '../docker/types.js';
import { resourceSettings } from './container-resources.js';
import { CLUSTER_LABEL, POD_NETWORK } from '../../api/cluster-network.js';
import { securitySettings } from './security-context.js';
import type { PodNetworkSpec } from './pod-network.js';

export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
/** Which run of the container this is: 0 first, then one more per restart (the RESTARTS count). */
export const RESTART_COUNT_LABEL = 'io.kubernetes.container.restartCount';
/** The CrashLoopBackOff delay waited before this run started: the next delay doubles it, after an agent restart too. */
export const BACKOFF_LABEL = 'kctl.backoff-ms';
export const NODE_LABEL = 'kctl.node';
/** The sandbox's container name label, as dockershim named it. */
export const SANDBOX_CONTAINER_NAME = 'POD';

/** Where a pod's Docker objects live: which cluster and which node agent made them. */
export interface PodPlacement {
  node: string;
  /** The cluster's identity (its API server URL), the value of CLUSTER_LABEL. */
  cluster: string;
  /** The machine's own pod range, when the cluster spans machines. */
  podNetwork?: PodNetworkSpec;
}

export function podLabels(pod: Pod, placement: PodPlacement, containerName: string): Record<string, string> {
  return {
    [POD_NAMESPACE_LABEL]: pod.metadata?.namespace ?? 'default',
    [POD_NAME_LABEL]: pod.metadata?.name ?? '',
    [POD_UID_LABEL]: pod.metadata?.uid ?? '',
    [CONTAINER_NAME_LABEL]: containerName,
    [NODE_LABEL]: placement.node,
    [CLUSTER_LABEL]: placement.cluster,
  };
}

/** dockershim's naming, `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`, unique per run. */
export function dockerContainerName(pod: Pod, containerName: string, attempt: number): string {
  const m = pod.metadata ?? {};
  return `k8s_${containerName}_${m.name}_${m.namespace ?? 'default'}_${m.uid}_${attempt}`;
}

// Ports can only be published on the sandbox, which owns the pod's network namespace.
function sandboxPorts(pod: Pod): Pick<ContainerCreateConfig, 'ExposedPorts'> & { PortBindings?: Record<string, PortBinding[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      if (p.hostPort) (bindings[key] ??= []).push({ HostIp: p.hostIP ?? '', HostPort: String(p.hostPort) });
    }
  }
  return {
    ...(Object.keys(exposed).length > 0 ? { ExposedPorts: exposed } : {}),
    ...(Object.keys(bindings).length > 0 ? { PortBindings: bindings } : {}),
  };
}

export function sandboxConfig(pod: Pod, placement: PodPlacement): ContainerCreateConfig {
  const { ExposedPorts, PortBindings } = sandboxPorts(pod);
  return {
    Image: PAUSE_IMAGE,
    Hostname: (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63),
    Labels: podLabels(pod, placement, SANDBOX_CONTAINER_NAME),
    ...(ExposedPorts ? { ExposedPorts } : {}),
    HostConfig: {
      NetworkMode: POD_NETWORK,
      // The pod's containers join this IPC namespace.
      IpcMode: 'shareable',
      ...(PortBindings ? { PortBindings } : {}),
    },
  };
}

/** What the agent resolved for one run: the environment, the expanded command and args, the mounts. */
export interface ResolvedRun {
  env: string[];
  command?: string[];
  args?: string[];
  mounts: Mount[];
  /** The image's configured User (a runAsGroup alone keeps its user). */
  imageUser?: string;
  /** The CrashLoopBackOff delay waited before this run. */
  waitedMs?: number;
}

export function containerConfig(
  pod: Pod,
  container: Container,
  sandboxId: string,
  placement: PodPlacement,
  attempt: number,
  resolved: ResolvedRun,
): ContainerCreateConfig {
  const { User, ...hostSecurity } = securitySettings(pod, container, resolved.imageUser);
  const security = User !== undefined ? { User } : {};
  const config: ContainerCreateConfig = {
    Image: container.image ?? '',
    Labels: {
      ...podLabels(pod, placement, container.name),
      [RESTART_COUNT_LABEL]: String(attempt),
      ...(resolved.waitedMs !== undefined ? { [BACKOFF_LABEL]: String(resolved.waitedMs) } : {}),
    },
    Env: resolved.env,
    Tty: container.tty ?? false,
    OpenStdin: container.stdin ?? false,
    StdinOnce: container.stdinOnce ?? false,
    ...security,
    HostConfig: {
      ...hostSecurity,
      ...resourceSettings(container.resources),
      NetworkMode: `container:${sandboxId}`,
      IpcMode: `container:${sandboxId}`,
      ...(pod.spec?.shareProcessNamespace ? { PidMode: `container:${sandboxId}` } : {}),
      // A PID 1 ignores SIGTERM unless it installs a handler (busybox sleep does not), so the
      // container could only be stopped by SIGKILL after the whole grace period.
      Init: true,
      ...(resolved.mounts.length > 0 ? { Mounts: resolved.mounts } : {}),
    },
  };
  // Kubernetes' command replaces the image's ENTRYPOINT and args its CMD; an ENTRYPOINT given
  // alone makes the engine drop the image's CMD, as Kubernetes does.
  if (resolved.command) config.Entrypoint = resolved.command;
  if (resolved.args) config.Cmd = resolved.args;
  if (container.workingDir) config.WorkingDir = container.workingDir;
  return config;
}

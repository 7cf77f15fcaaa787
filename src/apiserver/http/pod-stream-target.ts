// Where a pod's log, exec, attach or port-forward request goes, decided as kube-apiserver's LogLocation,
// ExecLocation and PortForwardLocation decide it: which container (with their BadRequest texts), and which node's agent.
import { ApiError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';

interface NamedContainer {
  name: string;
}

function names(list: NamedContainer[] | undefined): string[] {
  return (list ?? []).map((c) => c.name);
}

/** The container a request names, or the pod's only one; Kubernetes' texts otherwise. */
export function podContainer(pod: KubeObject, container: string | undefined, purpose: 'log' | 'exec'): string {
  const name = pod.metadata.name!;
  const spec = pod.spec ?? {};
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  if (container) {
    if (![...containers, ...init, ...ephemeral].includes(container)) throw new ApiError('BadRequest', `container ${container} is not valid for pod ${name}`);
    return container;
  }
  if (containers.length === 1) return containers[0];
  if (containers.length === 0) throw new ApiError('BadRequest', `a container name must be specified for pod ${name}`);
  // The log path lists every container (init ones first); the exec path names the init ones apart.
  if (purpose === 'log') {
    throw new ApiError('BadRequest', `a container name must be specified for pod ${name}, choose one of: [${[...init, ...containers, ...ephemeral].join(' ')}]`);
  }
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (init.length) message += ` or one of the init containers: [${init.join(' ')}]`;
  throw new ApiError('BadRequest', message);
}

export interface AgentEndpoint {
  host: string;
  port: number;
}

/** The agent of a node: its InternalIP and the port its status reports. */
export function agentEndpoint(node: KubeObject): AgentEndpoint {
  const addresses = (node.status?.addresses ?? []) as { type: string; address: string }[];
  const host = addresses.find((a) => a.type === 'InternalIP')?.address ?? addresses.find((a) => a.type === 'Hostname')?.address;
  const port = Number(node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0);
  if (!host || !Number.isInteger(port) || port <= 0) {
    throw new ApiError('ServiceUnavailable', `node "${node.metadata.name}" does not report its agent's address yet (status.addresses, status.daemonEndpoints)`);
  }
  return { host, port };
}

// The PodLogOptions, PodExecOptions and PodAttachOptions the agent understands, forwarded as they came.
export const LOG_PARAMS = ['follow', 'previous', 'timestamps', 'sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes'];
export const EXEC_PARAMS = ['command', 'stdin', 'stdout', 'stderr', 'tty'];
export const ATTACH_PARAMS = ['stdin', 'stdout', 'stderr', 'tty'];

/** The agent's path and query for a request, e.g. /containerLogs/default/web/app?follow=true. */
export function agentPath(kind: 'containerLogs' | 'exec' | 'attach', namespace: string, pod: string, container: string, query: URLSearchParams): string {
  const allowed = kind === 'exec' ? EXEC_PARAMS : kind === 'attach' ? ATTACH_PARAMS : LOG_PARAMS;
  const forwarded = new URLSearchParams();
  for (const [k, v] of query) if (allowed.includes(k)) forwarded.append(k, v);
  const search = forwarded.toString();
  return `/${kind}/${[namespace, pod, container].map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`;
}

/**
 * The agent's path for a port-forward: PortForwardOptions' `ports` become the kubelet's `port`
 * parameters, as kube-apiserver's PortForwardLocation passes them on.
 */
export function portForwardPath(namespace: string, pod: string, query: URLSearchParams): string {
  const forwarded = new URLSearchParams();
  for (const port of query.getAll('ports')) forwarded.append('port', port);
  const search = forwarded.toString();
  return `/portForward/${[namespace, pod].map(encodeURIComponent).join('/')}${search ? `?${search}` : ''}`;
}

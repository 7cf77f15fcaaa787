// The Node an agent registers and the status it reports, shaped as the kubelet shapes them:
// well-known labels, register-with-taints, capacity and allocatable, addresses, nodeInfo, and the
// four conditions with the kubelet's reasons and messages.
import type { KubeObject } from '../api/types.js';
import { LOCAL_PATH_ROOT_ANNOTATION } from '../api/storage.js';
import { rfc3339 } from '../api/timestamps.js';
import type { ResourceList } from './capacity.js';
import type { MachineInfo } from './machine.js';
import type { Taint } from './node-flags.js';

export const KUBELET_VERSION = 'v1.32.0-kctl';
export const INSTANCE_TYPE = 'kctl';
/** Every agent on this machine shares the host's network, as pods reach each other directly. */
export const NODE_INTERNAL_IP = '127.0.0.1';

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** The container runtime as last probed: answering (with its version) or not (with why). */
export type RuntimeState = { ok: true; version: string } | { ok: false; error: string };

export interface NodeDescription {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  capacity: ResourceList;
  machine: MachineInfo;
  /** The port of the agent's endpoint (logs, exec), reported as the kubelet reports its own. */
  kubeletPort?: number;
  /** The node's address (--node-ip); default NODE_INTERNAL_IP. */
  internalIP?: string;
  /** Where this node's local-path volumes live, published for the provisioner. */
  localPathRoot?: string;
}

function nodeAnnotations(node: NodeDescription): Record<string, string> {
  return node.localPathRoot ? { [LOCAL_PATH_ROOT_ANNOTATION]: node.localPathRoot } : {};
}

/** The kubelet's labels, then the operator's (which may override them, as --node-labels can). */
export function nodeLabels(name: string, architecture: string, extra: Record<string, string>): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': architecture,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': INSTANCE_TYPE,
    ...extra,
  };
}

/** A condition that keeps its lastTransitionTime while its status stays the same. */
function condition(
  type: string,
  status: NodeCondition['status'],
  reason: string,
  message: string,
  previous: NodeCondition[] | undefined,
  now: string,
): NodeCondition {
  const before = previous?.find((c) => c.type === type);
  return {
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now,
    reason,
    message,
  };
}

export function nodeConditions(runtime: RuntimeState, previous: NodeCondition[] | undefined, now: Date): NodeCondition[] {
  const at = rfc3339(now);
  const ready = runtime.ok
    ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', previous, at)
    : condition('Ready', 'False', 'KubeletNotReady', `container runtime is down: ${runtime.error}`, previous, at);
  return [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', previous, at),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', previous, at),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', previous, at),
    ready,
  ];
}

export interface StatusInput {
  node: NodeDescription;
  runtime: RuntimeState;
  /** The last runtime version seen, kept while the runtime does not answer. */
  runtimeVersion?: string;
  previousConditions?: NodeCondition[];
  now: Date;
}

export function nodeStatus(input: StatusInput): Record<string, unknown> {
  const { node, runtime, now } = input;
  const version = runtime.ok ? runtime.version : input.runtimeVersion;
  return {
    capacity: { ...node.capacity },
    // Nothing is reserved for system daemons and there is no eviction threshold yet.
    allocatable: { ...node.capacity },
    conditions: nodeConditions(runtime, input.previousConditions, now),
    addresses: [
      { type: 'InternalIP', address: node.internalIP ?? NODE_INTERNAL_IP },
      { type: 'Hostname', address: node.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: node.kubeletPort ?? 0 } },
    nodeInfo: {
      machineID: node.machine.machineID,
      systemUUID: node.machine.systemUUID,
      bootID: node.machine.bootID,
      kernelVersion: node.machine.kernelVersion,
      osImage: node.machine.osImage,
      containerRuntimeVersion: version ? `docker://${version}` : '',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: node.machine.architecture,
    },
  };
}

/** The Node to create at registration. */
export function registrationNode(input: StatusInput): KubeObject {
  const { node } = input;
  const spec: Record<string, unknown> = {};
  if (node.taints.length) spec.taints = node.taints.map((t) => ({ ...t }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: nodeLabels(node.name, node.machine.architecture, node.labels), annotations: nodeAnnotations(node) },
    spec,
    status: nodeStatus(input),
  };
}

/** An existing Node with this agent's labels and taints; labels other writers added stay. */
export function reconcileExistingNode(existing: KubeObject, node: NodeDescription): KubeObject {
  const updated = structuredClone(existing);
  updated.metadata.labels = { ...existing.metadata.labels, ...nodeLabels(node.name, node.machine.architecture, node.labels) };
  updated.metadata.annotations = { ...existing.metadata.annotations, ...nodeAnnotations(node) };
  updated.spec = { ...existing.spec };
  if (node.taints.length) updated.spec.taints = node.taints.map((t) => ({ ...t }));
  else delete updated.spec.taints;
  return updated;
}

function withoutHeartbeats(status: Record<string, unknown> | undefined): string {
  const conditions = ((status?.conditions ?? []) as NodeCondition[]).map(({ lastHeartbeatTime, ...rest }) => rest);
  return JSON.stringify({ ...status, conditions });
}

/** Whether a status says something new, heartbeat times aside (the kubelet's nodeStatusHasChanged). */
export function statusChanged(previous: Record<string, unknown> | undefined, next: Record<string, unknown>): boolean {
  return withoutHeartbeats(previous) !== withoutHeartbeats(next);
}
